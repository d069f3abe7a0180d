import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHANGE_CLASSES,
  DIAGRAM_DEFAULTS,
  DiagramStack,
  FLOW_ORDER,
  TerraformJson,
  UPSTREAM,
  classifyReference,
  environmentDiagram,
  environmentGraph,
  mermaidBlock,
  readEnvironmentStacks,
} from './diagram';
import { PlanSummary, ResourceChange, summarizePlan } from './plan-summary';
import { synth } from './synth';

jest.setTimeout(60_000);

/**
 * Checks what can be checked of Mermaid flowchart syntax without Mermaid: the header, balanced
 * subgraph/end, safe ids, quoted labels, edges and classes between declared ids only.
 * @returns the problems (none: valid as far as checkable)
 */
function mermaidProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.trimEnd().split('\n');
  if (lines[0] !== 'flowchart LR') problems.push(`starts with "${lines[0]}"`);
  const declared = new Set<string>();
  let depth = 0;
  const id = /^[a-z][a-z0-9_]*$/;
  const shapes = [/^\[\("(.*)"\)\]$/, /^\[\["(.*)"\]\]$/, /^\(\["(.*)"\]\)$/, /^\{\{"(.*)"\}\}$/, /^>"(.*)"\]$/, /^\["(.*)"\]$/];
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^subgraph (\S+?)\["([^"]*)"\]$/.exec(line))) {
      depth++;
      if (!id.test(m[1])) problems.push(`unsafe subgraph id ${m[1]}`);
      declared.add(m[1]);
    } else if (line === 'end') {
      depth--;
      if (depth < 0) problems.push('end without subgraph');
    } else if ((m = /^(\S+?) (-->|-\.->)(\|[^|"]+\|)? (\S+)$/.exec(line))) {
      for (const end of [m[1], m[4]]) if (!declared.has(end)) problems.push(`edge to undeclared ${end}`);
    } else if ((m = /^classDef ([a-z]+) [a-z-]+:[#\w]+(,[a-z-]+:[#\w.]+)*(, ?[a-z-]+:[\w ]+)*$/.exec(line))) {
      declared.add(`class:${m[1]}`);
    } else if ((m = /^class (\S+) ([a-z]+)$/.exec(line))) {
      for (const n of m[1].split(',')) if (!declared.has(n)) problems.push(`class on undeclared ${n}`);
      if (!declared.has(`class:${m[2]}`)) problems.push(`undefined class ${m[2]}`);
    } else if ((m = /^([^\s[({>]+)(.+)$/.exec(line))) {
      if (!id.test(m[1]) || m[1] === 'end') problems.push(`unsafe node id ${m[1]}`);
      const shape = shapes.map((s) => s.exec(m?.[2] ?? '')).find(Boolean);
      if (!shape) problems.push(`unquoted or unknown shape: ${line}`);
      else if (/"/.test(shape[1])) problems.push(`unescaped quote in ${line}`);
      declared.add(m[1]);
    } else {
      problems.push(`unparsed line: ${line}`);
    }
  }
  if (depth !== 0) problems.push(`${depth} subgraph(s) not closed`);
  return problems;
}

const lineOf = (text: string, prefix: string) => text.split('\n').find((l) => l.trim().startsWith(prefix))?.trim();

describe('the diagram of a synthesized environment', () => {
  let stacks: DiagramStack[];
  let diagram: string;
  let outdir: string;

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'diagram-'));
    await synth({ envDir: join(__dirname, '..', 'fixtures', 'environments'), environments: ['uat'], outdir, quiet: true });
    stacks = readEnvironmentStacks(outdir, 'uat');
    diagram = environmentDiagram('uat', stacks);
  });

  test('draws one subgraph per stack, in data-flow order, sources first', () => {
    const subgraphs = diagram.split('\n').filter((l) => l.trim().startsWith('subgraph')).map((l) => l.trim());
    expect(subgraphs).toEqual([
      'subgraph g_sources["Sources"]',
      'subgraph g_ingestion["uat-ingestion"]',
      'subgraph g_lake["uat-lake"]',
      'subgraph g_processing["uat-processing"]',
      'subgraph g_observability["uat-observability"]',
    ]);
  });

  test('draws the main resources of each layer with readable labels', () => {
    for (const node of [
      'n_source_database_postgres_orders(["Database<br/>postgres: orders"])',
      'n_saas_salesforce_account(["SaaS<br/>Salesforce: Account"])',
      'n_stream_clickstream[["Kinesis stream<br/>clickstream"]]',
      'n_delivery_clickstream["Firehose<br/>clickstream"]',
      'n_replication_orders["DMS task<br/>orders"]',
      'n_flow_salesforce_accounts["AppFlow<br/>salesforce-accounts"]',
      'n_function_image_catalog_cataloger["Lambda<br/>image-catalog-cataloger"]',
      'n_batch_partner_import["Fargate import<br/>partner-import"]',
      'n_bucket_raw[("S3<br/>raw")]',
      'n_bucket_curated[("S3<br/>curated")]',
      'n_database_processed[("Glue database<br/>processed")]',
      'n_key_lake{{"KMS key<br/>lake"}}',
      'n_job_orders_clean["Glue job<br/>orders-clean"]',
      'n_job_clickstream["Glue streaming job<br/>clickstream"]',
      'n_crawler_processed_orders["Crawler<br/>processed-orders"]',
      'n_topic_alerts>"SNS<br/>alerts"]',
    ]) {
      expect(diagram).toContain(`    ${node}\n`);
    }
  });

  test('derives the data flow from sources through ingestion, the zones, jobs and crawlers to the catalog', () => {
    const edges = diagram.split('\n').filter((l) => l.includes('-->')).map((l) => l.trim());
    expect(edges).toEqual(
      expect.arrayContaining([
        // ingestion paths into the raw zone
        'n_stream_clickstream --> n_delivery_clickstream',
        'n_delivery_clickstream --> n_bucket_raw',
        'n_source_database_postgres_orders --> n_replication_orders',
        'n_replication_orders --> n_bucket_raw',
        'n_saas_salesforce_account --> n_flow_salesforce_accounts',
        'n_flow_salesforce_accounts --> n_bucket_raw',
        'n_batch_partner_import --> n_bucket_raw',
        'n_bucket_raw --> n_function_image_catalog_cataloger',
        'n_function_image_catalog_cataloger --> n_dynamodb_image_catalog',
        // jobs between zones, with their catalog databases
        'n_bucket_raw --> n_job_orders_clean',
        'n_database_raw --> n_job_orders_clean',
        'n_job_orders_clean --> n_bucket_processed',
        'n_job_orders_clean --> n_database_processed',
        'n_bucket_processed --> n_job_orders_curate',
        'n_job_orders_curate --> n_bucket_curated',
        'n_stream_clickstream --> n_job_clickstream',
        'n_job_clickstream --> n_bucket_processed',
        // crawlers read a zone and write its database; a table catalogs what is in a bucket
        'n_bucket_processed --> n_crawler_processed_orders',
        'n_crawler_processed_orders --> n_database_processed',
        'n_bucket_raw --> n_table_clickstream',
        'n_table_clickstream --> n_database_raw',
      ]),
    );
    expect(diagram.split('\n').filter((l) => l.includes('-.->')).map((l) => l.trim())).toEqual([
      'g_ingestion -.->|alarms| n_topic_alerts',
      'g_processing -.->|alarms| n_topic_alerts',
      'n_applications_applications -.-> n_stream_clickstream',
      'n_feeds_feeds_and_files -.-> n_batch_partner_import',
    ]);
  });

  test('leaves out what is not data flow: keys, scripts and temporary files, reading back a written target', () => {
    expect(diagram).not.toMatch(/--> n_key_lake|n_key_lake -->/);
    expect(diagram).not.toContain('n_bucket_artifacts --> n_job');
    expect(diagram).not.toContain('n_bucket_processed --> n_job_orders_clean');
  });

  test('is valid Mermaid as far as checkable: balanced subgraphs, safe ids, quoted labels, declared ends', () => {
    expect(mermaidProblems(diagram)).toEqual([]);
    expect(mermaidProblems('flowchart LR\n  subgraph g_a["A"]\n    n_x["x"]\n  n_y[unquoted]\n  n_x --> n_z\n')).toEqual([
      'unquoted or unknown shape: n_y[unquoted]',
      'edge to undeclared n_z',
      '1 subgraph(s) not closed',
    ]);
    expect(mermaidBlock(diagram)).toBe(`\`\`\`mermaid\n${diagram.trimEnd()}\n\`\`\`\n`);
  });

  test('highlights changed resources: their own node, or the node that owns them', () => {
    const resources = (stack: string, type: string) => Object.keys(stacks.find((s) => s.name === stack)?.config.resource?.[type] ?? {});
    const rolePolicy = resources('uat-processing', 'aws_iam_role_policy').find((n) => n.includes('job-orders-clean_role_role-read-raw'));
    const firehoseRolePolicy = resources('uat-ingestion', 'aws_iam_role_policy').find((n) => n.includes('stream-clickstream_role_role-write-raw'));
    const summaries: PlanSummary[] = [
      summary('uat-lake', [
        { address: 'aws_s3_bucket_versioning.lake_raw_versioning', type: 'aws_s3_bucket_versioning', kind: 'update' },
        { address: 'aws_kms_key.lake_key', type: 'aws_kms_key', kind: 'replace', statefulBy: 'manifest' },
      ]),
      summary('uat-processing', [
        { address: `aws_iam_role_policy.${rolePolicy}`, type: 'aws_iam_role_policy', kind: 'update' },
        { address: 'aws_glue_job.processing_job-retired_job_0A1B2C3D', type: 'aws_glue_job', kind: 'destroy' },
      ]),
      summary('uat-ingestion', [
        { address: `aws_iam_role_policy.${firehoseRolePolicy}`, type: 'aws_iam_role_policy', kind: 'create' },
        { address: 'aws_ecs_cluster.ingestion_import-cluster_C4FAD1BD', type: 'aws_ecs_cluster', kind: 'update' },
      ]),
    ];
    const highlighted = environmentDiagram('uat', stacks, { changes: summaries });
    expect(mermaidProblems(highlighted)).toEqual([]);
    expect(lineOf(highlighted, 'class ')).toBeDefined();
    expect(highlighted.split('\n').filter((l) => /^\s+class(Def)? /.test(l)).map((l) => l.trim())).toEqual([
      `classDef created ${CHANGE_CLASSES.create.style}`,
      `classDef updated ${CHANGE_CLASSES.update.style}`,
      `classDef replaced ${CHANGE_CLASSES.replace.style}`,
      `classDef destroyed ${CHANGE_CLASSES.destroy.style}`,
      'class n_delivery_clickstream created',
      'class n_bucket_raw,n_job_orders_clean,n_other_changes_ingestion updated',
      'class n_key_lake replaced',
      'class n_removed_aws_glue_job_processing_job_retired_job_0a1b2c3d destroyed',
    ]);
    // The destroyed job is gone from the configuration: drawn in its layer, named by its address.
    const processing = highlighted.slice(highlighted.indexOf('subgraph g_processing'), highlighted.indexOf('subgraph g_observability'));
    expect(processing).toContain('n_removed_aws_glue_job_processing_job_retired_job_0a1b2c3d["destroy: Glue job<br/>aws_glue_job.processing_job-ret…"]');
    // What no drawn node owns is counted in its layer.
    const ingestion = highlighted.slice(highlighted.indexOf('subgraph g_ingestion'), highlighted.indexOf('subgraph g_lake'));
    expect(ingestion).toContain('n_other_changes_ingestion["1 other changed resource<br/>listed in the plan summary"]');
  });

  test('maps a resource to the nodes that own it, and nothing to a node nobody owns', () => {
    const graph = environmentGraph('uat', stacks);
    expect(graph.ownersOf('uat-lake', 'aws_s3_bucket.lake_raw_bucket')).toEqual(['n_bucket_raw']);
    expect(graph.ownersOf('uat-lake', 'aws_s3_bucket_versioning.lake_raw_versioning')).toEqual(['n_bucket_raw']);
    expect(graph.ownersOf('uat-ingestion', 'aws_ecs_cluster.ingestion_import-cluster_C4FAD1BD')).toEqual([]);
    expect(graph.ownersOf('uat-lake', 'aws_s3_bucket.gone')).toEqual([]);
    expect(graph.layerOf('uat-lake', 'aws_s3_bucket.gone')).toBe('lake');
  });

  test('reads an environment from a synthesis, and says what to do when a stack is missing', () => {
    expect(stacks.map((s) => s.name)).toEqual(['uat-lake', 'uat-ingestion', 'uat-processing', 'uat-observability']);
    const empty = mkdtempSync(join(tmpdir(), 'empty-'));
    expect(() => readEnvironmentStacks(empty, 'uat')).toThrow(`${join(empty, 'platform.json')} is missing; synthesize first (npm run synth)`);
  });
});

function summary(stack: string, changes: ResourceChange[]): PlanSummary {
  return {
    ...summarizePlan(stack, { resource_changes: [] }),
    changes,
  };
}

/** A resource body as cdktf writes it: construct path in the metadata. */
const at = (path: string, body: Record<string, unknown> = {}) => ({ '//': { metadata: { path } }, ...body });
const remote = (producer: string, output: string) => `\${data.terraform_remote_state.cross-stack-reference-input-${producer}.outputs.${output}}`;
const remoteState = (producer: string) => ({
  [`cross-stack-reference-input-${producer}`]: { backend: 's3', config: { key: `qa/${producer}.tfstate` } },
});
const provider = { aws: [{ default_tags: [{ tags: { project: 'adp' } }] }] };

/** The governance, bi and ml layers as their constructs synthesize them (attribute names from the AWS provider 5.100 schema). */
function laterLayers(): DiagramStack[] {
  const lake: TerraformJson = {
    provider,
    resource: {
      aws_s3_bucket: {
        lake_curated_bucket: at('qa-lake/lake/lake/curated/bucket', { bucket: 'adp-qa-lake-curated-444444444444' }),
        lake_artifacts_bucket: at('qa-lake/lake/lake/artifacts/bucket', { bucket: 'adp-qa-lake-artifacts-444444444444' }),
        lake_athena_results_bucket: at('qa-lake/lake/lake/athena-results/bucket', { bucket: 'adp-qa-lake-athena-results-444444444444' }),
      },
      aws_glue_catalog_database: { lake_curated_database: at('qa-lake/lake/lake/curated-database', { name: 'adp_qa_lake_curated' }) },
    },
    output: {
      'cross-stack-output-aws_s3_bucketlake_curated_bucketbucket': { value: '${aws_s3_bucket.lake_curated_bucket.bucket}' },
      'cross-stack-output-aws_s3_bucketlake_curated_bucketarn': { value: '${aws_s3_bucket.lake_curated_bucket.arn}' },
      'cross-stack-output-aws_s3_bucketlake_artifacts_bucketbucket': { value: '${aws_s3_bucket.lake_artifacts_bucket.bucket}' },
      'cross-stack-output-aws_s3_bucketlake_athena_results_bucketbucket': { value: '${aws_s3_bucket.lake_athena_results_bucket.bucket}' },
      'cross-stack-output-aws_glue_catalog_databaselake_curated_databasename': { value: '${aws_glue_catalog_database.lake_curated_database.name}' },
    },
  };
  const processing: TerraformJson = {
    provider,
    resource: {
      aws_glue_crawler: {
        predictions: at('qa-processing/processing/crawler-curated-predictions/crawler', {
          name: 'adp-qa-processing-curated-predictions-crawler',
          database_name: remote('qa-lake', 'cross-stack-output-aws_glue_catalog_databaselake_curated_databasename'),
          s3_target: [{ path: `s3://${remote('qa-lake', 'cross-stack-output-aws_s3_bucketlake_curated_bucketbucket')}/churn_predictions/` }],
        }),
      },
    },
    output: { 'cross-stack-output-aws_glue_crawlerpredictionsname': { value: '${aws_glue_crawler.predictions.name}' } },
    data: { terraform_remote_state: remoteState('qa-lake') },
  };
  const governance: TerraformJson = {
    provider,
    resource: {
      aws_lakeformation_data_lake_settings: { settings: at('qa-governance/governance/settings/settings', {}) },
      aws_athena_workgroup: {
        analysts: at('qa-governance/governance/persona-analysts/workgroup', {
          name: 'adp-qa-governance-analysts',
          configuration: { result_configuration: { output_location: `s3://${remote('qa-lake', 'cross-stack-output-aws_s3_bucketlake_athena_results_bucketbucket')}/analysts/` } },
        }),
      },
      aws_athena_named_query: {
        revenue: at('qa-governance/governance/query-daily-revenue/query', {
          name: 'daily-revenue',
          database: remote('qa-lake', 'cross-stack-output-aws_glue_catalog_databaselake_curated_databasename'),
          workgroup: '${aws_athena_workgroup.analysts.name}',
          query: 'SELECT 1',
        }),
      },
      aws_iam_role: { scientists: at('qa-governance/governance/persona-data-scientists/role', { name: 'adp-qa-governance-data-scientists' }) },
      aws_iam_role_policy: {
        'scientists-read': at('qa-governance/governance/persona-data-scientists/role/read-curated', {
          role: '${aws_iam_role.scientists.name}',
          policy: '${data.aws_iam_policy_document.scientists-read.json}',
        }),
      },
    },
    data: {
      terraform_remote_state: remoteState('qa-lake'),
      aws_iam_policy_document: {
        'scientists-read': at('qa-governance/governance/persona-data-scientists/role/read-curated-document', {
          statement: [{ effect: 'Allow', actions: ['s3:GetObject'], resources: [`${remote('qa-lake', 'cross-stack-output-aws_s3_bucketlake_curated_bucketarn')}/*`] }],
        }),
      },
    },
    output: {
      'cross-stack-output-aws_athena_workgroupanalystsname': { value: '${aws_athena_workgroup.analysts.name}' },
      'cross-stack-output-aws_iam_rolescientistsarn': { value: '${aws_iam_role.scientists.arn}' },
    },
  };
  const bi: TerraformJson = {
    provider,
    resource: {
      aws_quicksight_data_source: {
        athena: at('qa-bi/bi/athena-source/data-source', { data_source_id: 'adp-qa-bi-athena', parameters: { athena: { work_group: remote('qa-governance', 'cross-stack-output-aws_athena_workgroupanalystsname') } } }),
      },
      aws_quicksight_data_set: {
        revenue: at('qa-bi/bi/dataset-daily-revenue/data-set', {
          data_set_id: 'adp-qa-bi-daily-revenue',
          name: 'adp-qa-bi-daily-revenue',
          physical_table_map: [{ physical_table_map_id: 'main', relational_table: { data_source_arn: '${aws_quicksight_data_source.athena.arn}', schema: 'adp_qa_lake_curated', name: 'daily_revenue' } }],
        }),
      },
      aws_quicksight_dashboard: {
        revenue: at('qa-bi/bi/dashboard-revenue/dashboard', {
          dashboard_id: 'adp-qa-bi-revenue',
          name: 'adp-qa-bi-revenue',
          definition: { data_set_identifiers_declarations: [{ identifier: 'daily-revenue', data_set_arn: '${aws_quicksight_data_set.revenue.arn}' }] },
        }),
      },
    },
    data: { terraform_remote_state: remoteState('qa-governance') },
  };
  const definition = JSON.stringify({
    StartAt: 'Transform',
    States: {
      Transform: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sagemaker:createTransformJob.sync',
        Parameters: {
          ModelName: '${aws_sagemaker_model.churn.name}',
          TransformInput: { DataSource: { S3DataSource: { S3Uri: `s3://${remote('qa-lake', 'cross-stack-output-aws_s3_bucketlake_curated_bucketbucket')}/customer_features/` } } },
          TransformOutput: { S3OutputPath: `s3://${remote('qa-lake', 'cross-stack-output-aws_s3_bucketlake_curated_bucketbucket')}/churn_predictions/` },
        },
        Next: 'Crawl',
      },
      Crawl: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:glue:startCrawler', Parameters: { Name: remote('qa-processing', 'cross-stack-output-aws_glue_crawlerpredictionsname') }, End: true },
    },
  });
  const ml: TerraformJson = {
    provider,
    resource: {
      aws_sagemaker_domain: {
        studio: at('qa-ml/ml/studio/domain', { domain_name: 'adp-qa-ml-studio', default_user_settings: { execution_role: remote('qa-governance', 'cross-stack-output-aws_iam_rolescientistsarn') } }),
      },
      aws_sagemaker_model: {
        churn: at('qa-ml/ml/model-churn/model', {
          name: 'adp-qa-ml-churn',
          primary_container: { image: '444444444444.dkr.ecr.eu-west-1.amazonaws.com/churn:1', model_data_url: `s3://${remote('qa-lake', 'cross-stack-output-aws_s3_bucketlake_artifacts_bucketbucket')}/ml/churn/model.tar.gz` },
        }),
      },
      aws_sagemaker_endpoint_configuration: {
        churn: at('qa-ml/ml/endpoint-churn/configuration', {
          production_variants: [{ model_name: '${aws_sagemaker_model.churn.name}', variant_name: 'main' }],
          data_capture_config: { destination_s3_uri: `s3://${remote('qa-lake', 'cross-stack-output-aws_s3_bucketlake_curated_bucketbucket')}/ml/churn/capture/` },
        }),
      },
      aws_sagemaker_endpoint: { churn: at('qa-ml/ml/endpoint-churn/endpoint', { name: 'adp-qa-ml-churn', endpoint_config_name: '${aws_sagemaker_endpoint_configuration.churn.name}' }) },
      aws_sfn_state_machine: { predictions: at('qa-ml/ml/batch-churn/state-machine', { name: 'adp-qa-ml-churn-predictions', definition }) },
      aws_sns_topic: { alerts: at('qa-ml/observability/alerts/topic', { name: 'adp-qa-observability-alerts' }) },
      aws_cloudwatch_event_rule: {
        failed: at('qa-ml/observability/failures/step-functions-rule', { event_pattern: JSON.stringify({ source: ['aws.states'], detail: { status: ['FAILED'] } }) }),
      },
      aws_cloudwatch_event_target: { failed: at('qa-ml/observability/failures/step-functions-target', { rule: '${aws_cloudwatch_event_rule.failed.name}', arn: '${aws_sns_topic.alerts.arn}' }) },
    },
    data: { terraform_remote_state: { ...remoteState('qa-lake'), ...remoteState('qa-governance'), ...remoteState('qa-processing') } },
  };
  return [
    { name: 'qa-lake', config: lake },
    { name: 'qa-processing', config: processing },
    { name: 'qa-governance', config: governance },
    { name: 'qa-bi', config: bi },
    { name: 'qa-ml', config: ml },
  ];
}

describe('the governance, BI and ML layers', () => {
  const diagram = environmentDiagram('qa', laterLayers());
  const edges = diagram.split('\n').filter((l) => l.includes('->')).map((l) => l.trim());

  test('draws Lake Formation and the Athena workgroups in governance, QuickSight in bi, SageMaker in ml', () => {
    expect(mermaidProblems(diagram)).toEqual([]);
    expect(diagram).toContain('subgraph g_governance["qa-governance"]\n    n_workgroup_analysts["Athena<br/>analysts"]\n    n_lakeformation_settings{{"Lake Formation<br/>settings"}}\n  end');
    expect(diagram).toContain('n_dataset_daily_revenue[("QuickSight dataset<br/>daily-revenue")]');
    expect(diagram).toContain('n_dashboard_revenue(["Dashboard<br/>revenue"])');
    expect(diagram).toContain('n_studio_studio(["SageMaker Studio<br/>studio"])');
    expect(diagram).toContain('n_endpoint_churn{{"Endpoint<br/>churn"}}');
    expect(diagram).toContain('n_pipeline_churn_predictions["Step Functions<br/>churn-predictions"]');
  });

  test('derives catalog -> Athena -> QuickSight through named queries and the data source', () => {
    expect(edges).toEqual(
      expect.arrayContaining([
        'n_database_curated --> n_workgroup_analysts',
        'n_workgroup_analysts --> n_bucket_athena_results',
        'n_workgroup_analysts --> n_dataset_daily_revenue',
        'n_dataset_daily_revenue --> n_dashboard_revenue',
      ]),
    );
  });

  test('derives SageMaker: artifacts -> model -> endpoint, data capture and predictions back to curated, then the crawler', () => {
    expect(edges).toEqual(
      expect.arrayContaining([
        'n_bucket_artifacts --> n_model_churn',
        'n_model_churn --> n_endpoint_churn',
        'n_endpoint_churn --> n_bucket_curated',
        'n_bucket_curated --> n_pipeline_churn_predictions',
        'n_model_churn --> n_pipeline_churn_predictions',
        'n_pipeline_churn_predictions --> n_bucket_curated',
        'n_pipeline_churn_predictions --> n_crawler_curated_predictions',
        'n_bucket_curated --> n_studio_studio',
        'n_bucket_curated --> n_crawler_curated_predictions',
        'n_crawler_curated_predictions --> n_database_curated',
      ]),
    );
  });

  test('draws layer order only where nothing links a layer to its upstream, and alerts from failure rules', () => {
    expect(edges.filter((e) => e.includes('-.->'))).toEqual(['g_ml -.->|alarms| n_topic_alerts']);
    const unlinked = environmentDiagram('qa', laterLayers().filter((s) => s.name !== 'qa-governance'));
    expect(unlinked).toContain('g_lake -.-> g_bi');
    expect(UPSTREAM).toEqual({
      ingestion: ['sources'],
      lake: ['ingestion'],
      processing: ['lake'],
      governance: ['lake'],
      bi: ['governance', 'lake'],
      ml: ['governance', 'lake'],
    });
    expect(FLOW_ORDER).toEqual(['sources', 'ingestion', 'lake', 'processing', 'governance', 'bi', 'ml', 'observability', 'other']);
  });
});

describe('large environments', () => {
  const jobs = (count: number): DiagramStack => ({
    name: 'big',
    config: {
      provider,
      resource: {
        aws_s3_bucket: { raw: at('big/lake/raw/bucket', { bucket: 'adp-big-lake-raw-444444444444' }) },
        aws_glue_job: Object.fromEntries(
          Array.from({ length: count }, (_, i) => [
            `job${i}`,
            at(`big/processing/job-${i}/job`, { name: `adp-big-processing-dataset-number-${i}-with-a-long-name`, default_arguments: { '--source_path': 's3://${aws_s3_bucket.raw.bucket}/x/' } }),
          ]),
        ),
      },
    },
  });

  test('groups more than maxPerKind resources of one kind into one node, with one edge per neighbour', () => {
    const diagram = environmentDiagram('big', [jobs(12)]);
    expect(mermaidProblems(diagram)).toEqual([]);
    expect(diagram).toContain('n_processing_job_group["Glue job ×12<br/>dataset-number-0-with-a-long-na…"]');
    expect(diagram.split('\n').filter((l) => l.includes('-->'))).toEqual(['  n_bucket_raw --> n_processing_job_group']);
    expect(environmentDiagram('big', [jobs(8)]).split('\n').filter((l) => l.includes('-->'))).toHaveLength(8);
    expect(DIAGRAM_DEFAULTS).toEqual({ maxPerKind: 8, maxLabelLength: 32 });
  });

  test('highlights the group when one of its resources changes, and caps labels', () => {
    const diagram = environmentDiagram('big', [jobs(12)], {
      changes: [summary('big', [{ address: 'aws_glue_job.job3', type: 'aws_glue_job', kind: 'update' }])],
      maxLabelLength: 12,
    });
    expect(diagram).toContain('n_processing_job_group["Glue job ×12<br/>dataset-num…"]');
    expect(diagram).toContain('  class n_processing_job_group updated\n');
  });

  test('escapes quotes and angle brackets in labels', () => {
    const bi = laterLayers().find((s) => s.name === 'qa-bi') as DiagramStack;
    const named = environmentDiagram('qa', [{ name: 'qa-bi', config: { ...bi.config, resource: { ...bi.config.resource, aws_quicksight_dashboard: { d: at('qa-bi/bi/d/dashboard', { name: 'Revenue "daily" <qa>' }) } } } }]);
    expect(named).toContain('n_dashboard_revenue_daily_qa(["Dashboard<br/>Revenue #quot;daily#quot; #lt;qa#gt;"])');
    expect(mermaidProblems(named)).toEqual([]);
  });
});

describe('reference classification', () => {
  test.each([
    ['aws_glue_job', 'default_arguments.--source_path', 'aws_s3_bucket', 'in'],
    ['aws_glue_job', 'default_arguments.--target_path', 'aws_s3_bucket', 'out'],
    ['aws_glue_job', 'default_arguments.--TempDir', 'aws_s3_bucket', 'ignore'],
    ['aws_glue_job', 'command.script_location', 'aws_s3_bucket', 'ignore'],
    ['aws_kinesis_firehose_delivery_stream', 'extended_s3_configuration.bucket_arn', 'aws_s3_bucket', 'out'],
    ['aws_kinesis_firehose_delivery_stream', 'kinesis_source_configuration.kinesis_stream_arn', 'aws_kinesis_stream', 'in'],
    ['aws_kinesis_firehose_delivery_stream', 'extended_s3_configuration.data_format_conversion_configuration.schema_configuration.table_name', 'aws_glue_catalog_table', 'ignore'],
    ['aws_glue_crawler', 's3_target.path', 'aws_s3_bucket', 'in'],
    ['aws_glue_crawler', 'database_name', 'aws_glue_catalog_database', 'out'],
    ['aws_sfn_state_machine', 'definition.States.Transform.Parameters.TransformInput.DataSource.S3DataSource.S3Uri', 'aws_s3_bucket', 'in'],
    ['aws_sfn_state_machine', 'definition.States.Transform.Parameters.TransformOutput.S3OutputPath', 'aws_s3_bucket', 'out'],
    ['aws_lambda_function', 'environment.variables.TABLE_NAME', 'aws_dynamodb_table', undefined],
    ['aws_lambda_function', 'description', 'aws_dynamodb_table', undefined],
    ['aws_dms_replication_task', 'target_endpoint_arn', 'aws_dms_s3_endpoint', 'out'],
    ['aws_kinesis_stream', 'kms_key_id', 'aws_kms_key', 'ignore'],
  ])('%s %s -> %s: %s', (type, path, target, expected) => {
    expect(classifyReference(type, path, target)).toBe(expected);
  });
});
