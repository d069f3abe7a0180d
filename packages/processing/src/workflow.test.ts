import { App } from 'cdktf';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { GlueTrigger } from '@cdktf/provider-aws/lib/glue-trigger';
import { GlueWorkflow as GlueWorkflowResource } from '@cdktf/provider-aws/lib/glue-workflow';
import {
  addressOf,
  documentStatements,
  EnvironmentConfig,
  problemsOf as problemsThrownBy,
  ref,
  synthesize,
  synthesizedResource,
  SynthesizedStack,
  testApp,
  WorkflowConfig,
} from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { devEnvironment as env, layeredStacks, OFFLINE, processingConfig, ProcessingInput, synthesized } from './test-support';
import { GLUE_WORKFLOW, GlueWorkflow, GlueWorkflowProps } from './workflow';

type WorkflowInput = ProcessingInput<'workflows'>;

/** The workflows of environments/dev.yaml. */
const ORDERS_DAILY: WorkflowInput = {
  schedule: 'cron(0 3 * * ? *)',
  steps: [
    { job: 'orders-clean' },
    { crawler: 'processed-orders', after: ['orders-clean'] },
    { job: 'orders-curate', after: ['processed-orders'] },
    { crawler: 'curated-revenue', after: ['orders-curate'] },
  ],
};
const PARTNERS_ON_ARRIVAL: WorkflowInput = { onNewObjects: { zone: 'raw', prefix: 'partner-import/' }, steps: [{ crawler: 'raw-partners' }] };

/** The jobs and crawlers the workflows name, as the processing layer resolves them. */
const member = (key: string) => ({ name: `adp-dev-processing-${key}` });
const JOBS = { 'orders-clean': member('orders-clean'), 'orders-curate': member('orders-curate') };
const CRAWLERS = {
  'raw-partners': member('raw-partners'),
  'processed-orders': member('processed-orders'),
  'curated-revenue': member('curated-revenue'),
};

/** A workflow config as the loader produces it: `input` validated, defaults filled in. */
const workflowConfig = (input: WorkflowInput = ORDERS_DAILY): WorkflowConfig => processingConfig('workflows', input);

function build(config: WorkflowConfig = workflowConfig(), name = 'orders-daily', props: Partial<GlueWorkflowProps> = {}, environment = env()) {
  const { stack, lake } = stackWithLake(environment);
  const workflow = new GlueWorkflow(stack, `workflow-${name}`, { lake, name, config, jobs: JOBS, crawlers: CRAWLERS, ...props });
  return { stack, lake, workflow };
}

const synth = (config?: WorkflowConfig, name?: string) => synthesized(build(config, name));

function triggers(tf: SynthesizedStack): Array<Record<string, unknown>> {
  return Object.values(tf.resource?.aws_glue_trigger ?? {});
}

/** The problems GlueWorkflow reports for `config` (and `props`), one a line. */
const problemsOf = (config: WorkflowConfig, props: Partial<GlueWorkflowProps> = {}, name = 'orders-daily') => problemsThrownBy(() => build(config, name, props));

const SOURCE = 'GlueWorkflow dev/workflow-orders-daily';

describe('GlueWorkflow', () => {
  describe('fixed settings', () => {
    it('documents them as constants', () => {
      expect(GLUE_WORKFLOW).toEqual({ maxConcurrentRuns: 1, eventBatchSize: 100, eventBatchWindowSeconds: 900, minScheduleMinutes: 5 });
    });
  });

  describe('workflow', () => {
    it('is named after the workflow and runs once at a time', () => {
      const { json, workflow } = synth();
      expect(json).toHaveResourceWithProperties(GlueWorkflowResource, {
        name: 'adp-dev-processing-orders-daily',
        max_concurrent_runs: 1,
        description: 'Workflow orders-daily of adp-dev: job orders-clean, crawler processed-orders, job orders-curate, crawler curated-revenue',
      });
      expect(workflow.name).toBe('adp-dev-processing-orders-daily');
    });
  });

  describe('scheduled start', () => {
    it('is one SCHEDULED trigger with the cron schedule that starts the steps without after', () => {
      const { tf, workflow } = synth();
      expect(synthesizedResource(tf, 'aws_glue_trigger', workflow.startTrigger.friendlyUniqueId)).toEqual({
        name: 'adp-dev-processing-orders-daily-start',
        type: 'SCHEDULED',
        schedule: 'cron(0 3 * * ? *)',
        description: 'Starts job orders-clean on cron(0 3 * * ? *) (UTC)',
        workflow_name: ref(workflow.workflow, 'name'),
        actions: [{ job_name: 'adp-dev-processing-orders-clean' }],
      });
      expect(workflow.triggers[0]).toBe(workflow.startTrigger);
    });

    it('starts every step without after, jobs and crawlers alike', () => {
      const config = workflowConfig({ schedule: 'cron(0 3 * * ? *)', steps: [{ job: 'orders-clean' }, { crawler: 'raw-partners' }, { job: 'orders-curate', after: ['orders-clean', 'raw-partners'] }] });
      const { tf, workflow } = synth(config);
      expect(synthesizedResource(tf, 'aws_glue_trigger', workflow.startTrigger.friendlyUniqueId).actions).toEqual([
        { job_name: 'adp-dev-processing-orders-clean' },
        { crawler_name: 'adp-dev-processing-raw-partners' },
      ]);
    });

    it('cuts descriptions to the 2048 characters Glue takes', () => {
      const keys = Array.from({ length: 60 }, (_, i) => `nightly-export-job-number-${i}`);
      const config = workflowConfig({ schedule: 'cron(0 3 * * ? *)', steps: keys.map((job) => ({ job })) });
      const jobs = Object.fromEntries(keys.map((key) => [key, member(key)]));
      const { stack, workflow } = build(config, 'exports', { jobs });
      const { tf } = synthesize(stack);
      for (const resource of [workflow.workflow, workflow.startTrigger]) {
        const text = String(tf.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId]?.description);
        expect(text).toHaveLength(2048);
        expect(text.endsWith('...')).toBe(true);
      }
    });

    it('converts a rate to the cron Glue takes', () => {
      const { json } = synth(workflowConfig({ ...ORDERS_DAILY, schedule: 'rate(6 hours)' }));
      expect(json).toHaveResourceWithProperties(GlueTrigger, { type: 'SCHEDULED', schedule: 'cron(0 0/6 * * ? *)' });
    });

    it('has no rule, no role and no event batching', () => {
      const { tf, workflow } = synth();
      expect(tf.resource?.aws_cloudwatch_event_rule).toBeUndefined();
      expect(tf.resource?.aws_iam_role).toBeUndefined();
      expect(triggers(tf).some((t) => t.event_batching_condition !== undefined)).toBe(false);
      expect(workflow.rule).toBeUndefined();
      expect(workflow.eventsRole).toBeUndefined();
    });
  });

  describe('conditional triggers', () => {
    it('runs each step with after once the step it names succeeded (logical ANY for one condition)', () => {
      const { tf, workflow } = synth();
      const [, crawl, curate, crawlCurated] = workflow.triggers.map((t) => synthesizedResource(tf, 'aws_glue_trigger', t.friendlyUniqueId));
      expect(workflow.triggers).toHaveLength(4);
      expect(crawl).toEqual({
        name: 'adp-dev-processing-orders-daily-crawler-processed-orders',
        type: 'CONDITIONAL',
        description: 'Runs crawler processed-orders after job orders-clean succeeded',
        workflow_name: ref(workflow.workflow, 'name'),
        predicate: { logical: 'ANY', conditions: [{ job_name: 'adp-dev-processing-orders-clean', state: 'SUCCEEDED', logical_operator: 'EQUALS' }] },
        actions: [{ crawler_name: 'adp-dev-processing-processed-orders' }],
        depends_on: [addressOf(workflow.triggers[0])],
      });
      expect(curate).toMatchObject({
        name: 'adp-dev-processing-orders-daily-job-orders-curate',
        predicate: { logical: 'ANY', conditions: [{ crawler_name: 'adp-dev-processing-processed-orders', crawl_state: 'SUCCEEDED', logical_operator: 'EQUALS' }] },
        actions: [{ job_name: 'adp-dev-processing-orders-curate' }],
      });
      expect(crawlCurated).toMatchObject({
        name: 'adp-dev-processing-orders-daily-crawler-curated-revenue',
        predicate: { logical: 'ANY', conditions: [{ job_name: 'adp-dev-processing-orders-curate', state: 'SUCCEEDED', logical_operator: 'EQUALS' }] },
        actions: [{ crawler_name: 'adp-dev-processing-curated-revenue' }],
      });
    });

    it('waits for every step of after (logical AND), one condition each', () => {
      const config = workflowConfig({
        schedule: 'cron(0 3 * * ? *)',
        steps: [{ job: 'orders-clean' }, { crawler: 'raw-partners' }, { job: 'orders-curate', after: ['orders-clean', 'raw-partners'] }],
      });
      const { tf, workflow } = synth(config);
      expect(synthesizedResource(tf, 'aws_glue_trigger', workflow.triggers[1].friendlyUniqueId)).toMatchObject({
        description: 'Runs job orders-curate after job orders-clean and crawler raw-partners succeeded',
        predicate: {
          logical: 'AND',
          conditions: [
            { job_name: 'adp-dev-processing-orders-clean', state: 'SUCCEEDED', logical_operator: 'EQUALS' },
            { crawler_name: 'adp-dev-processing-raw-partners', crawl_state: 'SUCCEEDED', logical_operator: 'EQUALS' },
          ],
        },
        actions: [{ job_name: 'adp-dev-processing-orders-curate' }],
      });
    });

    it('creates the triggers one after another (Glue rejects concurrent changes to a workflow)', () => {
      const { tf, workflow } = synth();
      const ids = workflow.triggers.map((t) => t.friendlyUniqueId);
      expect(synthesizedResource(tf, 'aws_glue_trigger', ids[0]).depends_on).toBeUndefined();
      for (let i = 1; i < ids.length; i++) {
        expect(synthesizedResource(tf, 'aws_glue_trigger', ids[i]).depends_on).toEqual([`aws_glue_trigger.${ids[i - 1]}`]);
      }
    });

    it('keeps its ids and names from build to build', () => {
      const ids = () => synth().workflow.triggers.map((t) => t.friendlyUniqueId);
      expect(ids()).toEqual(ids());
      expect(ids().map((id) => id.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
        'workflow-orders-daily_start',
        'workflow-orders-daily_crawler-processed-orders',
        'workflow-orders-daily_job-orders-curate',
        'workflow-orders-daily_crawler-curated-revenue',
      ]);
      const { tf, workflow } = synth();
      expect(workflow.triggers.map((t) => synthesizedResource(tf, 'aws_glue_trigger', t.friendlyUniqueId).name)).toEqual([
        'adp-dev-processing-orders-daily-start',
        'adp-dev-processing-orders-daily-crawler-processed-orders',
        'adp-dev-processing-orders-daily-job-orders-curate',
        'adp-dev-processing-orders-daily-crawler-curated-revenue',
      ]);
    });
  });

  describe('start on new objects', () => {
    const onArrival = () => synth(workflowConfig(PARTNERS_ON_ARRIVAL), 'partners-on-arrival');
    const WORKFLOW_ARN = 'arn:${data.aws_partition.partition.partition}:glue:eu-west-1:111111111111:workflow/adp-dev-processing-partners-on-arrival';

    it('is an EVENT trigger that batches 100 objects or 900 seconds', () => {
      const { tf, workflow } = onArrival();
      expect(synthesizedResource(tf, 'aws_glue_trigger', workflow.startTrigger.friendlyUniqueId)).toEqual({
        name: 'adp-dev-processing-partners-on-arrival-start',
        type: 'EVENT',
        description: 'Starts crawler raw-partners when objects land under raw/partner-import/',
        workflow_name: ref(workflow.workflow, 'name'),
        event_batching_condition: [{ batch_size: 100, batch_window: 900 }],
        actions: [{ crawler_name: 'adp-dev-processing-raw-partners' }],
      });
    });

    it('has an EventBridge rule on Object Created events of the zone bucket under the prefix', () => {
      const { json, tf, workflow } = onArrival();
      expect(json).toHaveResourceWithProperties(CloudwatchEventRule, {
        name: 'adp-dev-processing-partners-on-arrival-new-objects',
        description: 'New objects under raw/partner-import/: start workflow partners-on-arrival',
        state: 'ENABLED',
      });
      const rule = synthesizedResource(tf, 'aws_cloudwatch_event_rule', workflow.rule!.friendlyUniqueId);
      expect(JSON.parse(rule.event_pattern as string)).toEqual({
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: ['${aws_s3_bucket.lake_raw_bucket.bucket}'] }, object: { key: [{ prefix: 'partner-import/' }] } },
      });
    });

    it('targets the workflow by its ARN (partition, region, account, name) with a role that may only notify it', () => {
      const { json, tf, workflow } = onArrival();
      expect(json).toHaveResourceWithProperties(CloudwatchEventTarget, {
        rule: ref(workflow.rule!, 'name'),
        target_id: 'workflow',
        arn: WORKFLOW_ARN,
        role_arn: ref(workflow.eventsRole!.role, 'arn'),
      });
      const policies = Object.values(tf.resource?.aws_iam_role_policy ?? {});
      expect(policies).toHaveLength(1);
      expect(policies[0]).toMatchObject({ name: 'notify-workflow', role: ref(workflow.eventsRole!.role, 'name') });
      expect(documentStatements(tf, policies[0].policy)).toEqual([
        { sid: 'NotifyWorkflow', effect: 'Allow', actions: ['glue:notifyEvent'], resources: [WORKFLOW_ARN] },
      ]);
    });

    it('has a role only EventBridge of this account assumes', () => {
      const { tf, workflow } = onArrival();
      expect(synthesizedResource(tf, 'aws_iam_role', workflow.eventsRole!.role.friendlyUniqueId)).toMatchObject({
        name: 'adp-dev-processing-partners-on-arrival-workflow-events',
      });
      const trust = Object.entries(tf.data?.aws_iam_policy_document ?? {}).find(([id]) => id.includes('_trust_'))![1];
      expect(trust.statement).toEqual([
        {
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
        },
      ]);
    });

    it('sends events only once the EVENT trigger exists and the role may notify the workflow', () => {
      const { tf, workflow } = onArrival();
      const target = Object.values(tf.resource?.aws_cloudwatch_event_target ?? {})[0];
      const policy = Object.keys(tf.resource?.aws_iam_role_policy ?? {})[0];
      expect(target.depends_on).toEqual([addressOf(workflow.startTrigger), `aws_iam_role_policy.${policy}`]);
    });
  });

  describe('validation', () => {
    it('rejects both a schedule and new objects as starts', () => {
      const config = { ...workflowConfig(), onNewObjects: { zone: 'raw', prefix: 'orders/' } } as WorkflowConfig;
      expect(problemsOf(config)).toEqual([
        `${SOURCE}: has both schedule and onNewObjects, but a Glue workflow has exactly one start trigger; keep onNewObjects to run when data lands, or schedule to run at fixed times`,
      ]);
    });

    it('rejects a workflow nothing starts', () => {
      const config = { ...workflowConfig(), schedule: undefined } as WorkflowConfig;
      expect(problemsOf(config)).toEqual([`${SOURCE}: has neither schedule nor onNewObjects; add one so something starts it`]);
    });

    it('rejects a rate that has no cron expression', () => {
      expect(problemsOf({ ...workflowConfig(), schedule: 'rate(2 days)' })).toEqual([
        `${SOURCE}: schedule is "rate(2 days)"; has no Glue cron expression with the same even interval (Glue schedules are cron only, and cron steps restart every hour, day or month); use a rate of 5, 6, 10, 12, 15, 20 or 30 minutes, 1, 2, 3, 4, 6, 8 or 12 hours, 1 day or 7 days, or a cron(...) schedule`,
      ]);
    });

    it('rejects a schedule that runs more often than every 5 minutes', () => {
      expect(problemsOf({ ...workflowConfig(), schedule: 'cron(0/2 * * * ? *)' })).toEqual([
        `${SOURCE}: schedule is "cron(0/2 * * * ? *)"; fires 2 minutes apart (minutes field "0/2"); Glue runs schedules at most every 5 minutes, e.g. "cron(0/5 * * * ? *)"`,
      ]);
    });

    it('rejects what is not a schedule', () => {
      expect(problemsOf({ ...workflowConfig(), schedule: 'daily' })).toEqual([
        `${SOURCE}: schedule is "daily"; is not a schedule; use "rate(<n> <minute|minutes|hour|hours|day|days>)" or "cron(<6 fields>)", e.g. "cron(0 2 * * ? *)"`,
      ]);
    });

    it('rejects steps naming jobs or crawlers it was not given', () => {
      expect(problemsOf(workflowConfig(), { jobs: { 'orders-clean': JOBS['orders-clean'] }, crawlers: {} })).toEqual([
        `${SOURCE}: steps[1].crawler is "processed-orders", which is not among the crawlers given (none); add it to processing.crawlers or fix the name`,
        `${SOURCE}: steps[2].job is "orders-curate", which is not among the jobs given (orders-clean); add it to processing.jobs or fix the name`,
        `${SOURCE}: steps[3].crawler is "curated-revenue", which is not among the crawlers given (none); add it to processing.crawlers or fix the name`,
      ]);
    });

    it('rejects a step listed twice', () => {
      const config = workflowConfig({ schedule: 'cron(0 3 * * ? *)', steps: [{ job: 'orders-clean' }, { job: 'orders-clean' }] });
      expect(problemsOf(config)).toEqual([`${SOURCE}: steps[1] repeats job "orders-clean" (steps[0]); list each job and crawler once`]);
    });

    it('rejects after naming no step, the step itself, a step twice, or a job and a crawler alike', () => {
      const config = workflowConfig({
        schedule: 'cron(0 3 * * ? *)',
        steps: [
          { job: 'orders-clean' },
          { crawler: 'orders-clean' },
          { job: 'orders-curate', after: ['missing', 'orders-curate', 'orders-clean'] },
          { crawler: 'raw-partners', after: ['orders-curate', 'orders-curate'] },
        ],
      });
      expect(problemsOf(config, { crawlers: { ...CRAWLERS, 'orders-clean': member('orders-clean-crawler') } })).toEqual([
        `${SOURCE}: steps[2].after[0] is "missing", which is not a step of this workflow (orders-clean, orders-clean, orders-curate, raw-partners); name a job or crawler listed in steps`,
        `${SOURCE}: steps[2].after[1] is the step itself; a step cannot wait for itself`,
        `${SOURCE}: steps[2].after[2] is "orders-clean", the name of both a job and a crawler of this workflow; rename one of them`,
        `${SOURCE}: steps[3].after[1] repeats "orders-curate"; name each step once`,
      ]);
    });

    it('rejects steps that wait for each other', () => {
      const config = workflowConfig({
        schedule: 'cron(0 3 * * ? *)',
        steps: [{ job: 'orders-clean' }, { crawler: 'processed-orders', after: ['orders-curate'] }, { job: 'orders-curate', after: ['processed-orders'] }],
      });
      expect(problemsOf(config)).toEqual([
        `${SOURCE}: steps wait for each other in a cycle (processed-orders -> orders-curate -> processed-orders), so none of them would ever run; remove one of these "after" entries`,
      ]);
    });

    it('rejects no steps, a bad name and a bad new-objects location, all at once', () => {
      const config = { steps: [], onNewObjects: { zone: 'landing', prefix: '/orders' } } as unknown as WorkflowConfig;
      expect(problemsOf(config, {}, 'Orders Daily')).toEqual([
        'GlueWorkflow dev/workflow-Orders Daily: name is "Orders Daily"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        'GlueWorkflow dev/workflow-Orders Daily: steps is empty; list at least one step, e.g. { job: <name> }',
        'GlueWorkflow dev/workflow-Orders Daily: onNewObjects.zone is "landing"; use one of raw, processed, curated',
        'GlueWorkflow dev/workflow-Orders Daily: onNewObjects.prefix is "/orders"; use a key prefix of lowercase letters, digits, "_", "-", "=" and "/", ending with "/" (e.g. "orders/")',
      ]);
    });

    it('creates nothing when it rejects the props', () => {
      const { stack, lake } = stackWithLake(env());
      const config = { ...workflowConfig(), schedule: 'rate(1 minute)' };
      expect(() => new GlueWorkflow(stack, 'wf', { lake, name: 'orders-daily', config, jobs: JOBS, crawlers: CRAWLERS })).toThrow(
        'GlueWorkflow dev/wf: schedule is "rate(1 minute)"; runs more often than Glue allows (every 5 minutes at most); use "rate(5 minutes)" or longer',
      );
      expect(stack.node.tryFindChild('wf')?.node.children ?? []).toEqual([]);
    });
  });

  describe('in the layered and single-stack builds', () => {
    function layered(app: App, environment: EnvironmentConfig) {
      const { lakeStack, lake, stack } = layeredStacks(environment, { app, aspects: [new PolicyPack()] });
      const common = { lake, jobs: JOBS, crawlers: CRAWLERS };
      new GlueWorkflow(stack, 'workflow-orders-daily', { ...common, name: 'orders-daily', config: workflowConfig(ORDERS_DAILY) });
      new GlueWorkflow(stack, 'workflow-partners-on-arrival', { ...common, name: 'partners-on-arrival', config: workflowConfig(PARTNERS_ON_ARRIVAL) });
      return { lakeStack, stack };
    }

    it('passes the policy pack with the lake in its own stack, reaching the bucket across stacks', () => {
      const { lakeStack, stack } = layered(testApp(), env());
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      const rule = Object.values(tf.resource?.aws_cloudwatch_event_rule ?? {})[0];
      expect(JSON.parse(rule.event_pattern as string).detail.bucket.name).toEqual([expect.stringMatching(/^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.[^}]+\}$/)]);
    });

    it('passes the policy pack in the offline single stack', () => {
      const { stack, lake } = stackWithLake(env(OFFLINE), { aspects: [new PolicyPack()] });
      const common = { lake, jobs: JOBS, crawlers: CRAWLERS };
      new GlueWorkflow(stack, 'workflow-orders-daily', { ...common, name: 'orders-daily', config: workflowConfig(ORDERS_DAILY) });
      new GlueWorkflow(stack, 'workflow-partners-on-arrival', { ...common, name: 'partners-on-arrival', config: workflowConfig(PARTNERS_ON_ARRIVAL) });
      const { tf } = synthesize(stack);
      expect(Object.keys(tf.resource?.aws_glue_trigger ?? {})).toHaveLength(5);
    });
  });
});
