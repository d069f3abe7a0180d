import { Construct } from 'constructs';
import { EnvironmentConfig, PlatformError } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import {
  Classifier,
  Crawler,
  DataQualityRuleset,
  EtlJob,
  GlueConnection,
  GlueScript,
  JOB_HELPERS_FILE,
  GlueWorkflow,
  InteractiveSessions,
  ProcessingSecurity,
  StreamingJob,
} from '@data-platform/processing';
import { IngestionLayer } from './ingestion-layer';

/**
 * The processing layer: Glue jobs (batch and streaming), connections, classifiers, crawlers,
 * workflows, data quality and interactive sessions, from the environment's `processing` section.
 * It takes the lake and the ingestion layer (for the Kinesis streams it reads) as typed props.
 */
export class ProcessingLayer extends Construct {
  readonly security: ProcessingSecurity;
  readonly connections: Readonly<Record<string, GlueConnection>>;
  /** The Python module every ETL job imports (uploaded once, when there are jobs). */
  readonly jobHelpers?: GlueScript;
  readonly jobs: Readonly<Record<string, EtlJob>>;
  readonly streamingJobs: Readonly<Record<string, StreamingJob>>;
  readonly crawlers: Readonly<Record<string, Crawler>>;
  readonly workflows: Readonly<Record<string, GlueWorkflow>>;
  readonly dataQuality: Readonly<Record<string, DataQualityRuleset>>;
  readonly sessions?: InteractiveSessions;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, lake: DataLake, ingestion: IngestionLayer) {
    super(scope, id);
    const p = env.processing;
    const security = new ProcessingSecurity(this, 'security', { lake });
    this.security = security;

    const connections: Record<string, GlueConnection> = {};
    for (const [name, config] of Object.entries(p.connections)) {
      if (!env.network) throw missingNetwork(env);
      connections[name] = new GlueConnection(this, `connection-${name}`, { lake, name, config, network: env.network });
    }
    this.connections = connections;

    const jobs: Record<string, EtlJob> = {};
    if (Object.keys(p.jobs).length > 0) {
      // One upload for every job: each job passes it with --extra-py-files.
      const helpers = new GlueScript(this, 'job-helpers', { lake, file: JOB_HELPERS_FILE });
      this.jobHelpers = helpers;
      for (const [name, config] of Object.entries(p.jobs)) {
        jobs[name] = new EtlJob(this, `job-${name}`, { lake, name, config, security, helpers, connection: config.connection ? connections[config.connection] : undefined });
      }
    }
    this.jobs = jobs;

    const streamingJobs: Record<string, StreamingJob> = {};
    for (const [name, config] of Object.entries(p.streamingJobs)) {
      const source = ingestion.streams.find((s) => s.node.id === `stream-${config.stream}`)?.stream;
      if (!source) {
        throw new PlatformError(`environment ${env.name}`, [
          { path: `processing.streamingJobs.${name}.stream`, message: `is "${config.stream}", which has no Kinesis stream in the ingestion layer; declare it in ingestion.streams with source: kinesis` },
        ]);
      }
      streamingJobs[name] = new StreamingJob(this, `streaming-job-${name}`, { lake, name, config, security, stream: { arn: source.arn, name: source.name } });
    }
    this.streamingJobs = streamingJobs;

    const classifiers: Record<string, Classifier> = {};
    for (const [name, config] of Object.entries(p.classifiers)) classifiers[name] = new Classifier(this, `classifier-${name}`, { name, config });

    const crawlers: Record<string, Crawler> = {};
    for (const [name, config] of Object.entries(p.crawlers)) {
      crawlers[name] = new Crawler(this, `crawler-${name}`, {
        lake,
        name,
        config,
        security,
        classifiers: config.classifiers.map((c) => classifiers[c]),
        // The lake layer keeps a queue for each crawler in S3 event mode (crawlerEventQueues).
        eventQueue: config.recrawl === 'events' ? lake.eventQueue(name) : undefined,
      });
    }
    this.crawlers = crawlers;

    const workflows: Record<string, GlueWorkflow> = {};
    for (const [name, config] of Object.entries(p.workflows)) {
      workflows[name] = new GlueWorkflow(this, `workflow-${name}`, { lake, name, config, jobs, crawlers });
    }
    this.workflows = workflows;

    const dataQuality: Record<string, DataQualityRuleset> = {};
    for (const [name, config] of Object.entries(p.dataQuality)) dataQuality[name] = new DataQualityRuleset(this, `quality-${name}`, { lake, name, config });
    this.dataQuality = dataQuality;

    this.sessions = p.interactiveSessions ? new InteractiveSessions(this, 'interactive-sessions', { lake, security }) : undefined;
  }
}

function missingNetwork(env: EnvironmentConfig): PlatformError {
  return new PlatformError(`environment ${env.name}`, [
    { path: 'network', message: 'is missing, but Glue connections run in a VPC; add network.vpcId, network.vpcCidr and network.subnets' },
  ]);
}
