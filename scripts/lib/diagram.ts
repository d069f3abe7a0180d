/**
 * Draws one environment as a Mermaid flowchart from its synthesized stacks (cdk.tf.json): a
 * subgraph per layer (one per stack when layered), a node per main resource, the data flow between
 * them, and the resources a plan changes highlighted.
 *
 * A `Sources` subgraph comes first: what feeds the platform from outside (DMS source databases and
 * AppFlow connectors, derived; applications and external feeds, conventional).
 *
 * What is derived and what is conventional:
 *
 * - Nodes are derived from resource types ({@link NODE_TYPES}); their labels from physical names
 *   without the `<project>-<env>-<layer>-` prefix (the construct id when the name is not known at
 *   synthesis).
 * - Solid edges are derived from the Terraform JSON: from the attribute that refers to the other
 *   resource (a job's `--source_path` reads a bucket, a Firehose's `extended_s3_configuration`
 *   writes one, a crawler's `s3_target` reads and its `database_name` writes; see
 *   {@link classifyReference}), through one intermediate resource where the link passes one (a DMS
 *   task's target endpoint, a QuickSight data source, a SageMaker endpoint configuration), through
 *   the IAM policies of the role a resource runs as (`s3:PutObject` writes, `s3:GetObject` reads:
 *   how a Lambda's table or a Fargate import's bucket is found), and from connecting resources
 *   (EventBridge targets, event source mappings, bucket notifications, Athena named queries).
 *   Cross-stack references are followed through the producing stack's outputs.
 * - Dotted edges are conventional, by layer order, where the JSON holds no link: applications into
 *   Kinesis streams, external feeds into Fargate imports, and a layer with no derived input from its
 *   upstream layer (`lake` into `processing`, the catalog into `governance`, ...). Dotted `alarms`
 *   edges into the alert topic are derived from alarm dimensions and failure rules' event sources.
 *
 * Large environments stay readable: more than `maxPerKind` nodes of one kind in one layer become
 * one node (`Glue job ×25`), and labels are capped at `maxLabelLength` characters.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChangeKind, PlanSummary } from './plan-summary';
import { readStacks } from './synth';

/** The part of a synthesized stack (cdk.tf.json) the diagram reads. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { readonly value?: unknown }>;
  readonly provider?: { readonly aws?: ReadonlyArray<{ readonly default_tags?: ReadonlyArray<{ readonly tags?: Record<string, string> }> }> };
}

/** One synthesized stack of the environment. */
export interface DiagramStack {
  readonly name: string;
  readonly config: TerraformJson;
}

/** How a node is drawn: cylinder (data), box (processing), subroutine (stream), stadium (outside or consumer), hexagon (key, endpoint), flag (topic). */
export type Shape = 'store' | 'process' | 'stream' | 'source' | 'key' | 'topic';

/** How a main resource type is drawn. */
export interface NodeType {
  readonly kind: string;
  readonly title: string;
  readonly shape: Shape;
  /** Draw it in this group instead of its layer's. */
  readonly group?: string;
  /** Draw only resources this accepts. */
  readonly when?: (body: Record<string, unknown>) => boolean;
}

/** The resource types drawn as nodes; everything else is a detail of the node that owns it. */
export const NODE_TYPES: Readonly<Record<string, NodeType>> = {
  aws_dms_endpoint: { kind: 'source-database', title: 'Database', shape: 'source', group: 'sources', when: (b) => b.endpoint_type === 'source' },
  aws_kinesis_stream: { kind: 'stream', title: 'Kinesis stream', shape: 'stream' },
  aws_kinesis_firehose_delivery_stream: { kind: 'delivery', title: 'Firehose', shape: 'process' },
  aws_dms_replication_task: { kind: 'replication', title: 'DMS task', shape: 'process' },
  aws_appflow_flow: { kind: 'flow', title: 'AppFlow', shape: 'process' },
  aws_lambda_function: { kind: 'function', title: 'Lambda', shape: 'process' },
  aws_ecs_task_definition: { kind: 'batch', title: 'Fargate import', shape: 'process' },
  aws_dynamodb_table: { kind: 'dynamodb', title: 'DynamoDB', shape: 'store' },
  aws_kms_key: { kind: 'key', title: 'KMS key', shape: 'key' },
  aws_s3_bucket: { kind: 'bucket', title: 'S3', shape: 'store' },
  aws_glue_catalog_database: { kind: 'database', title: 'Glue database', shape: 'store' },
  aws_glue_catalog_table: { kind: 'table', title: 'Glue table', shape: 'store' },
  aws_glue_job: { kind: 'job', title: 'Glue job', shape: 'process' },
  aws_glue_crawler: { kind: 'crawler', title: 'Crawler', shape: 'process' },
  aws_lakeformation_data_lake_settings: { kind: 'lakeformation', title: 'Lake Formation', shape: 'key' },
  aws_athena_workgroup: { kind: 'workgroup', title: 'Athena', shape: 'process' },
  aws_quicksight_data_set: { kind: 'dataset', title: 'QuickSight dataset', shape: 'store' },
  aws_quicksight_dashboard: { kind: 'dashboard', title: 'Dashboard', shape: 'source' },
  aws_sagemaker_domain: { kind: 'studio', title: 'SageMaker Studio', shape: 'source' },
  aws_sagemaker_model: { kind: 'model', title: 'Model', shape: 'process' },
  aws_sagemaker_endpoint: { kind: 'endpoint', title: 'Endpoint', shape: 'key' },
  aws_sfn_state_machine: { kind: 'pipeline', title: 'Step Functions', shape: 'process' },
  aws_sns_topic: { kind: 'topic', title: 'SNS', shape: 'topic' },
};

/** Groups (subgraphs) left to right: the layers in data-flow order, sources first. */
export const FLOW_ORDER = ['sources', 'ingestion', 'lake', 'processing', 'governance', 'bi', 'ml', 'observability', 'other'] as const;

/** Where each layer's data conventionally comes from, when the JSON holds no link. */
export const UPSTREAM: Readonly<Record<string, readonly string[]>> = {
  ingestion: ['sources'],
  lake: ['ingestion'],
  processing: ['lake'],
  governance: ['lake'],
  bi: ['governance', 'lake'],
  ml: ['governance', 'lake'],
};

/** Defaults of {@link renderMermaid}. */
export const DIAGRAM_DEFAULTS = {
  /** More nodes of one kind in one layer than this are drawn as one node. */
  maxPerKind: 8,
  /** Longest name in a label; longer ones end in "…". */
  maxLabelLength: 32,
} as const;

/** A node of the diagram: one main resource, or several of one kind once grouped. */
export interface DiagramNode {
  /** Mermaid id: lowercase letters, digits and "_", starting with "n_". */
  readonly id: string;
  readonly group: string;
  readonly kind: string;
  readonly title: string;
  readonly name: string;
  readonly shape: Shape;
  /** The resources it stands for, as `<stack>:<address>` (none for external sources). */
  readonly members: readonly string[];
}

/** An edge between nodes, or from a group (subgraph id) where the link is conventional. */
export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  /** Dotted: by convention or monitoring, not a data path found in the JSON. */
  readonly dotted?: boolean;
  readonly label?: string;
}

/** A subgraph: one layer (one stack of a layered environment), or the external sources. */
export interface DiagramGroup {
  /** Mermaid id: `g_<layer>`. */
  readonly id: string;
  readonly layer: string;
  readonly title: string;
}

/** An environment as nodes, edges and groups, before rendering. */
export interface EnvironmentGraph {
  readonly environment: string;
  readonly groups: readonly DiagramGroup[];
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  /** Ids of the nodes a resource belongs to (itself if drawn, else the nodes that own it); empty when none. */
  ownersOf(stack: string, address: string): string[];
  /** The layer a resource belongs to: from its construct path, else its stack's name; undefined when unknown. */
  layerOf(stack: string, address: string): string | undefined;
}

interface Resource {
  readonly key: string;
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly data: boolean;
  readonly body: Record<string, unknown>;
  readonly path: string;
  readonly layer: string;
}

interface Reference {
  /** Attribute path in the referring resource (JSON-string attributes are parsed). */
  readonly path: string;
  readonly target: string;
}

type Direction = 'in' | 'out' | 'ignore';

const LAYER_NAMES = new Set<string>(FLOW_ORDER);
const REMOTE_RE = /data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)/g;
const REF_RE = /(?<![\w.-])(data\.)?(aws_[a-z0-9_]+)\.([\w-]+)/g;

/**
 * How the attribute `path` of a `type` resource uses what it refers to: `in` (reads it, it flows
 * in), `out` (writes it), `ignore` (a key, a role, logs, scripts: not data flow), or undefined
 * (unknown: the IAM policies of the resource's role decide).
 */
export function classifyReference(type: string, path: string, targetType: string): Direction | undefined {
  if (IGNORED_TARGETS.has(targetType)) return 'ignore';
  if (targetType === 'aws_sagemaker_model') return 'in';
  const p = path.toLowerCase();
  for (const [re, direction] of TYPE_RULES[type] ?? []) if (re.test(p)) return direction;
  // Words of the path: `--source_path`, `TransformInput`, `S3OutputPath` -> source, path / transform, input / s3, output, path.
  const words = path.split(/(?=[A-Z][a-z])|[^A-Za-z0-9]+/).map((w) => w.toLowerCase()).filter(Boolean);
  if (words.includes('description')) return undefined;
  if (words.some((w) => IGNORE_WORDS.has(w))) return 'ignore';
  if (words.some((w) => IN_WORDS.has(w))) return 'in';
  if (words.some((w) => OUT_WORDS.has(w))) return 'out';
  if (type === 'aws_sfn_state_machine' && /^aws_(glue_crawler|glue_job|lambda_function)$/.test(targetType)) return 'out';
  return undefined;
}

/** Targets that never carry data flow: keys, alert topics, roles. */
const IGNORED_TARGETS = new Set(['aws_kms_key', 'aws_sns_topic', 'aws_iam_role']);
const IGNORE_WORDS = new Set([
  'kms', 'encryption', 'encrypt', 'log', 'logs', 'logging', 'role', 'security', 'subnet', 'subnets', 'vpc', 'dead', 'tags', 'temp',
  'tempdir', 'script', 'checkpoint', 'code', 'image', 'layers',
]);
const IN_WORDS = new Set(['source', 'sources', 'input', 'from', 'read', 'consumer', 'stream']);
const OUT_WORDS = new Set(['target', 'targets', 'output', 'destination', 'write', 'sink', 'result', 'results', 'capture']);

/** Attribute rules of types whose attribute names do not say the direction. */
const TYPE_RULES: Readonly<Record<string, ReadonlyArray<readonly [RegExp, Direction]>>> = {
  aws_kinesis_firehose_delivery_stream: [
    [/schema_configuration|processing_configuration|cloudwatch/, 'ignore'],
    [/kinesis_source|msk_source/, 'in'],
    [/_configuration/, 'out'],
  ],
  aws_glue_crawler: [[/database_name/, 'out'], [/_target/, 'in']],
  aws_glue_catalog_table: [[/database_name/, 'out'], [/location/, 'in']],
  aws_athena_workgroup: [[/output_location|result_configuration/, 'out']],
  aws_quicksight_data_set: [[/physical_table_map|logical_table_map|data_source|row_level_permission/, 'in']],
  aws_quicksight_data_source: [[/parameters|work_group|athena/, 'in']],
  aws_quicksight_dashboard: [[/data_set|dataset|source_entity/, 'in']],
  aws_quicksight_analysis: [[/data_set|dataset|source_entity/, 'in']],
  aws_sagemaker_model: [[/model_data|container/, 'in']],
  aws_sagemaker_endpoint_configuration: [[/model_name|production_variant/, 'in'], [/data_capture|async/, 'out']],
  aws_sagemaker_endpoint: [[/endpoint_config/, 'in']],
};

/** Resources a link passes through: a main resource's reference to one is followed one step. */
const INTERMEDIATE_TYPES = new Set([
  'aws_dms_s3_endpoint',
  'aws_dms_endpoint',
  'aws_quicksight_data_source',
  'aws_sagemaker_endpoint_configuration',
  'aws_lakeformation_resource',
]);

const WRITE_ACTIONS = /^(s3:(putobject|deleteobject|abortmultipartupload)|kinesis:putrecords?|firehose:putrecord(batch)?|dynamodb:(putitem|updateitem|batchwriteitem|deleteitem))$/;
const READ_ACTIONS = /^(s3:(getobject|getobjectversion)|kinesis:(getrecords|getsharditerator|subscribetoshard)|dynamodb:(getitem|query|scan|batchgetitem))$/;
/** IAM-derived edges only connect to these: data, not logs or keys. */
const IAM_TARGET_TYPES = new Set(['aws_s3_bucket', 'aws_kinesis_stream', 'aws_dynamodb_table', 'aws_kinesis_firehose_delivery_stream']);

/** EventBridge sources of failure rules and the resource types whose events they are. */
const EVENT_SOURCE_TYPES: Readonly<Record<string, readonly string[]>> = {
  'aws.glue': ['aws_glue_job', 'aws_glue_crawler', 'aws_glue_workflow'],
  'aws.glue-dataquality': ['aws_glue_data_quality_ruleset'],
  'aws.dms': ['aws_dms_replication_task'],
  'aws.states': ['aws_sfn_state_machine'],
  'aws.sagemaker': ['aws_sagemaker_endpoint', 'aws_sagemaker_model', 'aws_sagemaker_domain'],
  'aws.athena': ['aws_athena_workgroup'],
  'aws.ecs': ['aws_ecs_task_definition'],
  'aws.lambda': ['aws_lambda_function'],
  'aws.firehose': ['aws_kinesis_firehose_delivery_stream'],
  'aws.kinesis': ['aws_kinesis_stream'],
};

/** Builds the graph of one environment from its stacks. */
export function environmentGraph(environment: string, stacks: readonly DiagramStack[]): EnvironmentGraph {
  const index = indexResources(environment, stacks);
  const resolver = referenceResolver(index, stacks);
  const { refsOf } = resolver;
  const project = projectOf(stacks);

  // Nodes: main resources, plus the external sources AppFlow names.
  const nodes = new Map<string, DiagramNode>();
  const nodeOf = new Map<string, string>();
  const ids = new Set<string>();
  const newId = (base: string) => {
    const clean = `n_${base.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')}`;
    let id = clean;
    for (let i = 2; ids.has(id); i++) id = `${clean}_${i}`;
    ids.add(id);
    return id;
  };
  const addNode = (node: Omit<DiagramNode, 'id'>, idBase: string) => {
    const id = newId(idBase);
    nodes.set(id, { id, ...node });
    return id;
  };
  const mains = [...index.values()].filter((r) => !r.data && NODE_TYPES[r.type] && (NODE_TYPES[r.type].when?.(r.body) ?? true));
  mains.sort((a, b) => a.key.localeCompare(b.key));
  for (const r of mains) {
    const t = NODE_TYPES[r.type];
    const name = labelName(r, project, environment);
    const title = r.type === 'aws_glue_job' && (r.body.command as { name?: string } | undefined)?.name === 'gluestreaming' ? 'Glue streaming job' : t.title;
    const label = r.type === 'aws_dms_endpoint' ? `${String(r.body.engine_name ?? 'database')}: ${String(r.body.database_name ?? name)}` : name;
    nodeOf.set(r.key, addNode({ group: t.group ?? r.layer, kind: t.kind, title, name: label, shape: t.shape, members: [r.key] }, `${t.kind}_${label}`));
  }

  const edges = new Map<string, DiagramEdge>();
  const addEdge = (from: string | undefined, to: string | undefined, extra: Partial<DiagramEdge> = {}) => {
    if (!from || !to || from === to) return;
    edges.set(`${from}>${to}`, { from, to, ...extra });
  };

  for (const r of mains) {
    const self = nodeOf.get(r.key) as string;
    const attributeDirections = new Map<string, Direction>();
    const link = (target: string, direction: Direction | undefined) => {
      const other = nodeOf.get(target);
      if (!other || !direction) return;
      attributeDirections.set(target, direction);
      if (direction === 'in') addEdge(other, self);
      if (direction === 'out') addEdge(self, other);
    };
    const roles: string[] = [];
    for (const ref of refsOf(r.key)) {
      const target = index.get(ref.target);
      if (!target) continue;
      if (target.type === 'aws_iam_role') roles.push(target.key);
      const direct = classifyReference(r.type, ref.path, target.type);
      if (nodeOf.has(target.key)) {
        link(target.key, direct);
      } else if (INTERMEDIATE_TYPES.has(target.type)) {
        for (const next of refsOf(target.key)) {
          const beyond = index.get(next.target);
          if (!beyond) continue;
          if (beyond.type === 'aws_iam_role') roles.push(beyond.key);
          // The intermediate's own attribute says more (an endpoint configuration's model is read,
          // its data capture written); else the main resource's (a DMS task's target endpoint).
          const onward = classifyReference(target.type, next.path, beyond.type);
          if (nodeOf.has(beyond.key) && beyond.key !== r.key && onward !== 'ignore') {
            link(beyond.key, onward ?? direct);
          }
        }
      }
    }
    // The role's policies decide only what the attributes leave open (so a job that may read back
    // the target it writes still draws one edge), and never against an attribute saying `ignore`.
    for (const [target, direction] of iamAccess(index, resolver, roles)) {
      if (!attributeDirections.has(target)) link(target, direction);
    }
    if (r.type === 'aws_appflow_flow') {
      const source = r.body.source_flow_config as { connector_type?: string; source_connector_properties?: Record<string, { object?: string }> } | undefined;
      const props = Object.values(source?.source_connector_properties ?? {})[0];
      const label = `${source?.connector_type ?? 'SaaS'}${props?.object ? `: ${props.object}` : ''}`;
      const existing = [...nodes.values()].find((n) => n.group === 'sources' && n.kind === 'saas' && n.name === label);
      addEdge(existing?.id ?? addNode({ group: 'sources', kind: 'saas', title: 'SaaS', name: label, shape: 'source', members: [] }, `saas_${label}`), self);
    }
  }

  // Connecting resources: what triggers or feeds a main resource without being one.
  for (const r of index.values()) {
    if (r.data) continue;
    const refs = refsOf(r.key);
    const find = (re: RegExp) => refs.filter((x) => re.test(x.path)).map((x) => x.target);
    if (r.type === 'aws_cloudwatch_event_target') {
      // Alerts are drawn per layer below; a data-flow trigger feeds the resource it targets.
      const targets = find(/^arn$/).filter((t) => index.get(t)?.type !== 'aws_sns_topic');
      for (const rule of find(/^rule$/)) {
        const watched = refsOf(rule).filter((x) => x.path.startsWith('event_pattern'));
        for (const t of targets) for (const w of watched) addEdge(nodeOf.get(w.target), nodeOf.get(t));
      }
    } else if (r.type === 'aws_lambda_event_source_mapping') {
      for (const s of find(/^event_source_arn$/)) for (const f of find(/^function_name$/)) addEdge(nodeOf.get(s), nodeOf.get(f));
    } else if (r.type === 'aws_s3_bucket_notification') {
      for (const b of find(/^bucket$/)) for (const t of find(/^(lambda_function|queue|topic)\./)) addEdge(nodeOf.get(b), nodeOf.get(t));
    } else if (r.type === 'aws_athena_named_query') {
      for (const d of find(/^database$/)) for (const w of find(/^workgroup$/)) addEdge(nodeOf.get(d), nodeOf.get(w));
    }
  }

  const groupsPresent = new Set([...nodes.values()].map((n) => n.group));

  // Monitoring: layers whose resources alarms or failure rules watch, into the topic they alert.
  const watchedInto = new Map<string, Set<string>>();
  for (const r of index.values()) {
    if (r.data || (r.type !== 'aws_cloudwatch_metric_alarm' && r.type !== 'aws_cloudwatch_event_target')) continue;
    const refs = refsOf(r.key);
    const topics = refs.filter((x) => index.get(x.target)?.type === 'aws_sns_topic' && /alarm_actions|^arn$/.test(x.path)).map((x) => nodeOf.get(x.target));
    const layers = new Set<string>();
    if (r.type === 'aws_cloudwatch_metric_alarm') {
      for (const x of refs) if (x.path.startsWith('dimensions') || x.path.startsWith('metric_query')) layers.add(index.get(x.target)?.layer ?? '');
    } else {
      for (const rule of refs.filter((x) => x.path === 'rule')) {
        for (const source of eventSources(index.get(rule.target)?.body.event_pattern)) {
          const types = EVENT_SOURCE_TYPES[source] ?? [];
          for (const x of index.values()) if (!x.data && types.includes(x.type)) layers.add(x.layer);
        }
      }
    }
    for (const topic of topics) {
      if (!topic) continue;
      for (const layer of layers) if (groupsPresent.has(layer)) (watchedInto.get(topic) ?? watchedInto.set(topic, new Set()).get(topic))?.add(layer);
    }
  }
  for (const [topic, layers] of watchedInto) for (const layer of [...layers].sort(byFlow)) addEdge(`g_${layer}`, topic, { dotted: true, label: 'alarms' });

  // Conventional edges where the JSON has no link.
  const groupOfNode = (id: string) => nodes.get(id)?.group ?? id.replace(/^g_/, '');
  const hasInput = (id: string) => [...edges.values()].some((e) => e.to === id && !e.dotted);
  const conventionalSource = (kind: string, title: string, name: string, targets: readonly string[]) => {
    if (targets.length === 0) return;
    const id = addNode({ group: 'sources', kind, title, name, shape: 'source', members: [] }, `${kind}_${name}`);
    for (const t of targets) addEdge(id, t, { dotted: true });
  };
  const withoutInput = (type: string) => mains.filter((m) => m.type === type).map((m) => nodeOf.get(m.key) as string).filter((id) => !hasInput(id));
  conventionalSource('applications', 'Producers', 'applications', withoutInput('aws_kinesis_stream'));
  conventionalSource('feeds', 'External', 'feeds and files', withoutInput('aws_ecs_task_definition'));
  const present = new Set([...nodes.values()].map((n) => n.group));
  for (const layer of FLOW_ORDER) {
    const upstream = UPSTREAM[layer]?.find((u) => present.has(u));
    if (!present.has(layer) || !upstream) continue;
    const fed = [...edges.values()].some((e) => groupOfNode(e.to) === layer && groupOfNode(e.from) !== layer && groupOfNode(e.from) !== 'observability');
    if (!fed) addEdge(`g_${upstream}`, `g_${layer}`, { dotted: true });
  }

  const groups: DiagramGroup[] = [...new Set([...nodes.values()].map((n) => n.group))].sort(byFlow).map((layer) => ({
    id: `g_${layer}`,
    layer,
    title: groupTitle(layer, stacks, environment),
  }));
  const owners = ownership(index, refsOf, nodeOf, new Set([...nodes.values()].filter((n) => n.shape === 'process').map((n) => n.id)));
  return {
    environment,
    groups,
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    ownersOf: (stack, address) => owners(`${stack}:${address}`),
    layerOf: (stack, address) => {
      const layer = index.get(`${stack}:${address}`)?.layer ?? (stack.startsWith(`${environment}-`) ? stack.slice(environment.length + 1) : undefined);
      return layer && LAYER_NAMES.has(layer) && layer !== 'other' ? layer : undefined;
    },
  };
}

function byFlow(a: string, b: string): number {
  const ia = FLOW_ORDER.indexOf(a as (typeof FLOW_ORDER)[number]);
  const ib = FLOW_ORDER.indexOf(b as (typeof FLOW_ORDER)[number]);
  return (ia < 0 ? FLOW_ORDER.length : ia) - (ib < 0 ? FLOW_ORDER.length : ib) || a.localeCompare(b);
}

function groupTitle(layer: string, stacks: readonly DiagramStack[], environment: string): string {
  if (layer === 'sources') return 'Sources';
  const layered = stacks.find((s) => s.name === `${environment}-${layer}`);
  if (layered) return layered.name;
  return stacks.length === 1 ? `${stacks[0].name}: ${layer}` : layer;
}

/** Every resource and data source of every stack, by `<stack>:<address>`. */
function indexResources(environment: string, stacks: readonly DiagramStack[]): Map<string, Resource> {
  const index = new Map<string, Resource>();
  for (const stack of stacks) {
    const stackLayer = stack.name.startsWith(`${environment}-`) ? stack.name.slice(environment.length + 1) : undefined;
    for (const data of [false, true]) {
      const blocks = (data ? stack.config.data : stack.config.resource) ?? {};
      for (const [type, byName] of Object.entries(blocks)) {
        for (const [name, body] of Object.entries(byName)) {
          const address = `${data ? 'data.' : ''}${type}.${name}`;
          const path = ((body['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? '') as string;
          const segment = path.split('/')[1];
          const layer = LAYER_NAMES.has(segment) ? segment : stackLayer && LAYER_NAMES.has(stackLayer) ? stackLayer : 'other';
          index.set(`${stack.name}:${address}`, { key: `${stack.name}:${address}`, stack: stack.name, address, type, data, body, path, layer });
        }
      }
    }
  }
  return index;
}

interface Resolver {
  /** The references of a resource (memoized). */
  readonly refsOf: (key: string) => Reference[];
  /** The references in any value of a stack (a policy statement). */
  readonly refsIn: (stack: string, value: unknown) => Reference[];
}

/** Finds references, remote-state outputs resolved to the producing stack's resource. */
function referenceResolver(index: ReadonlyMap<string, Resource>, stacks: readonly DiagramStack[]): Resolver {
  const byName = new Map(stacks.map((s) => [s.name, s.config]));
  const cache = new Map<string, Reference[]>();
  const remote = (stack: string, source: string, output: string): string | undefined => {
    const ds = index.get(`${stack}:data.terraform_remote_state.${source}`)?.body;
    const key = ((ds?.config as { key?: string; path?: string } | undefined)?.key ?? '') as string;
    const producer = /([^/]+)\.tfstate$/.exec(key)?.[1] ?? source.replace(/^cross-stack-reference-input-/, '');
    const value = byName.get(producer)?.output?.[output]?.value;
    if (typeof value !== 'string') return undefined;
    const m = new RegExp(REF_RE.source).exec(value);
    return m ? `${producer}:${m[1] ?? ''}${m[2]}.${m[3]}` : undefined;
  };
  const refsIn = (stack: string, value: unknown, self?: string): Reference[] => {
    const refs: Reference[] = [];
    walk(value, '', (path, text) => {
      for (const m of text.matchAll(REMOTE_RE)) {
        const target = remote(stack, m[1], m[2]);
        if (target) refs.push({ path, target });
      }
      for (const m of text.replace(REMOTE_RE, '').matchAll(REF_RE)) {
        const target = `${stack}:${m[1] ?? ''}${m[2]}.${m[3]}`;
        if (target !== self && index.has(target)) refs.push({ path, target });
      }
    });
    return refs;
  };
  const refsOf = (key: string): Reference[] => {
    const hit = cache.get(key);
    if (hit) return hit;
    const r = index.get(key);
    const refs = r ? refsIn(r.stack, r.body, key) : [];
    cache.set(key, refs);
    return refs;
  };
  return { refsOf, refsIn };
}

/** Calls `visit` with each string in `value` and its attribute path; JSON strings are parsed and walked. */
function walk(value: unknown, path: string, visit: (path: string, text: string) => void): void {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && trimmed.includes('${')) {
      try {
        walk(JSON.parse(trimmed), path, visit);
        return;
      } catch {
        // Not JSON after all (an HCL expression): scan it as text.
      }
    }
    if (value.includes('${')) visit(path, value);
  } else if (Array.isArray(value)) {
    for (const item of value) walk(item, path, visit);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k !== '//') walk(v, path ? `${path}.${k}` : k, visit);
  }
}

/** What the roles' policies let a resource read and write, by target key (writing wins over reading). */
function iamAccess(index: ReadonlyMap<string, Resource>, refs: Resolver, roles: readonly string[]): Map<string, Direction> {
  const { refsOf, refsIn } = refs;
  const access = new Map<string, Direction>();
  for (const document of policyDocuments(index, refsOf, roles)) {
    const statements = (document.body.statement ?? []) as ReadonlyArray<{ effect?: string; actions?: string[] }>;
    statements.forEach((statement) => {
      if (statement.effect === 'Deny') return;
      const actions = (statement.actions ?? []).map((a) => a.toLowerCase());
      const direction: Direction | undefined = actions.some((a) => WRITE_ACTIONS.test(a)) ? 'out' : actions.some((a) => READ_ACTIONS.test(a)) ? 'in' : undefined;
      if (!direction) return;
      for (const { target: ref } of refsIn(document.stack, statement)) {
        const target = index.get(ref);
        if (!target || !IAM_TARGET_TYPES.has(target.type)) continue;
        if (access.get(ref) !== 'out') access.set(ref, direction);
      }
    });
  }
  return access;
}

/** The policy documents attached to `roles`: inline role policies and attached managed policies. */
function policyDocuments(index: ReadonlyMap<string, Resource>, refsOf: (key: string) => Reference[], roles: readonly string[]): Resource[] {
  if (roles.length === 0) return [];
  const wanted = new Set(roles);
  const documents: Resource[] = [];
  for (const r of index.values()) {
    if (r.data || (r.type !== 'aws_iam_role_policy' && r.type !== 'aws_iam_role_policy_attachment')) continue;
    const refs = refsOf(r.key);
    if (!refs.some((x) => x.path === 'role' && wanted.has(x.target))) continue;
    for (const x of refs) {
      const target = index.get(x.target);
      if (target?.type === 'aws_iam_policy_document') documents.push(target);
      if (target?.type === 'aws_iam_policy') {
        for (const y of refsOf(target.key)) {
          const doc = index.get(y.target);
          if (doc?.type === 'aws_iam_policy_document') documents.push(doc);
        }
      }
    }
  }
  return documents;
}

function eventSources(pattern: unknown): string[] {
  if (typeof pattern !== 'string') return [];
  try {
    const source = (JSON.parse(pattern) as { source?: unknown }).source;
    return Array.isArray(source) ? source.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

/** The project name, from the provider's default tags (the prefix of every physical name). */
function projectOf(stacks: readonly DiagramStack[]): string | undefined {
  for (const s of stacks) {
    const project = s.config.provider?.aws?.[0]?.default_tags?.[0]?.tags?.project;
    if (project) return project;
  }
  return undefined;
}

const NAME_FIELDS = ['name', 'bucket', 'function_name', 'family', 'replication_task_id', 'endpoint_id', 'data_set_id', 'dashboard_id', 'domain_name'];
const KIND_SUFFIXES = /[-_](stream|delivery|job|streaming|crawler|replication|topic|workgroup|catalog|source|flow|endpoint|model|pipeline)$/;

/** A short readable name: the physical name without `<project>-<env>-<layer>-` and the account id. */
function labelName(r: Resource, project: string | undefined, environment: string): string {
  const field = NAME_FIELDS.map((f) => r.body[f]).find((v): v is string => typeof v === 'string' && !v.includes('${'));
  // The construct's id below the layer's, skipping ids that only repeat the kind (`lake/key/key` is the lake's key).
  const kindWords = new Set([NODE_TYPES[r.type]?.kind, r.address.split('.')[0].replace(/^aws_/, '').split('_').pop()]);
  const constructId = r.path.split('/').slice(2).reverse().find((seg) => !kindWords.has(seg)) ?? r.address.split('.')[1];
  if (!field) return constructId;
  let name = field;
  if (project) name = name.replace(new RegExp(`^${project}[-_]${environment}[-_]`), '');
  name = name.replace(new RegExp(`^${r.layer}[-_]`), '').replace(/[-_]\d{12}$/, '');
  const shorter = name.replace(KIND_SUFFIXES, '');
  return shorter || name || constructId;
}

/**
 * Maps any resource to the nodes it belongs to: a drawn resource to its node; another one to the
 * nodes whose resource refers to it (through roles, their policies, intermediate resources, up to
 * three steps) or that it refers to as a detail (a bucket's versioning, a key's alias), within the
 * same construct; else to the drawn resources of its construct.
 */
function ownership(
  index: ReadonlyMap<string, Resource>,
  refsOf: (key: string) => Reference[],
  nodeOf: ReadonlyMap<string, string>,
  processingNodes: ReadonlySet<string>,
): (key: string) => string[] {
  const owned = new Map<string, Set<string>>();
  const parent = (path: string) => path.split('/').slice(0, -1).join('/');
  const inScope = (r: Resource, scope: string) => r.path === scope || r.path.startsWith(`${scope}/`);
  const rolePolicies = new Map<string, string[]>();
  const referrers = new Map<string, string[]>();
  for (const r of index.values()) {
    for (const ref of refsOf(r.key)) {
      (referrers.get(ref.target) ?? referrers.set(ref.target, []).get(ref.target))?.push(r.key);
      if ((r.type === 'aws_iam_role_policy' || r.type === 'aws_iam_role_policy_attachment') && ref.path === 'role') {
        (rolePolicies.get(ref.target) ?? rolePolicies.set(ref.target, []).get(ref.target))?.push(r.key);
      }
    }
  }
  for (const [key, node] of nodeOf) {
    const main = index.get(key) as Resource;
    const scope = parent(main.path);
    const seen = new Set<string>();
    let frontier = [key];
    for (let depth = 0; depth < 3 && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const k of frontier) {
        const outgoing = refsOf(k).map((x) => x.target);
        const attached = index.get(k)?.type === 'aws_iam_role' ? (rolePolicies.get(k) ?? []) : [];
        for (const t of [...outgoing, ...attached]) {
          const target = index.get(t);
          if (!target || seen.has(t) || nodeOf.has(t) || target.stack !== main.stack) continue;
          seen.add(t);
          next.push(t);
        }
      }
      frontier = next;
    }
    for (const k of referrers.get(key) ?? []) {
      const r = index.get(k) as Resource;
      if (!r.data && !nodeOf.has(k) && r.stack === main.stack && inScope(r, scope)) seen.add(k);
    }
    for (const k of seen) (owned.get(k) ?? owned.set(k, new Set()).get(k))?.add(node);
  }
  return (key) => {
    const direct = nodeOf.get(key);
    if (direct) return [direct];
    const claimed = owned.get(key);
    if (claimed && claimed.size > 0) return [...claimed].sort();
    const r = index.get(key);
    if (!r) return [];
    // Else the construct's drawn resource: its only one, or its only processing one (the function
    // beside a table); a resource outside every construct with one is nobody's.
    let best: string[] = [];
    let bestDepth = 2;
    for (const [k, node] of nodeOf) {
      const main = index.get(k) as Resource;
      const scope = parent(main.path);
      const depth = scope.split('/').length;
      if (main.stack !== r.stack || !inScope(r, scope) || depth < bestDepth) continue;
      if (depth > bestDepth) best = [];
      bestDepth = depth;
      best.push(node);
    }
    if (best.length === 1) return best;
    const processing = best.filter((id) => processingNodes.has(id));
    return processing.length === 1 ? processing : [];
  };
}

/** Options of {@link renderMermaid}. */
export interface DiagramOptions {
  /** Plan summaries of the environment's stacks: their changed resources are highlighted. */
  readonly changes?: readonly PlanSummary[];
  /** @default DIAGRAM_DEFAULTS.maxPerKind */
  readonly maxPerKind?: number;
  /** @default DIAGRAM_DEFAULTS.maxLabelLength */
  readonly maxLabelLength?: number;
}

/** Highlight classes, most severe last: a node takes its most severe change. */
export const CHANGE_CLASSES: Readonly<Record<ChangeKind, { readonly name: string; readonly style: string }>> = {
  create: { name: 'created', style: 'fill:#dcfce7,stroke:#16a34a,stroke-width:3px' },
  update: { name: 'updated', style: 'fill:#fef9c3,stroke:#ca8a04,stroke-width:3px' },
  replace: { name: 'replaced', style: 'fill:#fee2e2,stroke:#dc2626,stroke-width:4px' },
  destroy: { name: 'destroyed', style: 'fill:#fee2e2,stroke:#dc2626,stroke-width:4px,stroke-dasharray:5 3' },
};
const SEVERITY: readonly ChangeKind[] = ['create', 'update', 'replace', 'destroy'];

/**
 * Renders the graph as a Mermaid flowchart (left to right), grouping repeated resources and
 * highlighting changed ones. Changed resources the diagram does not draw (and that no drawn node
 * owns) are counted in one node; destroyed resources that would have been drawn get a node of
 * their own, since the configuration no longer has them.
 */
export function renderMermaid(graph: EnvironmentGraph, options: DiagramOptions = {}): string {
  const maxPerKind = options.maxPerKind ?? DIAGRAM_DEFAULTS.maxPerKind;
  const maxLabel = options.maxLabelLength ?? DIAGRAM_DEFAULTS.maxLabelLength;
  const groups = [...graph.groups];
  const nodes: DiagramNode[] = [];
  const rename = new Map<string, string>();

  // Group repeated resources: more than maxPerKind of one kind in one group become one node.
  const byKind = new Map<string, DiagramNode[]>();
  for (const n of graph.nodes) (byKind.get(`${n.group}/${n.kind}`) ?? byKind.set(`${n.group}/${n.kind}`, []).get(`${n.group}/${n.kind}`))?.push(n);
  for (const members of byKind.values()) {
    if (members.length <= maxPerKind) {
      nodes.push(...members);
      continue;
    }
    const first = members[0];
    const id = `n_${first.group}_${first.kind}_group`.replace(/[^a-z0-9_]/g, '_');
    const names = members.map((m) => m.name).sort();
    nodes.push({ id, group: first.group, kind: first.kind, title: `${first.title} ×${members.length}`, name: names.join(', '), shape: first.shape, members: members.flatMap((m) => m.members) });
    for (const m of members) rename.set(m.id, id);
  }
  const edgeKeys = new Set<string>();
  const edges: DiagramEdge[] = [];
  for (const e of graph.edges) {
    const from = rename.get(e.from) ?? e.from;
    const to = rename.get(e.to) ?? e.to;
    const key = `${from}>${to}`;
    if (from === to || edgeKeys.has(key)) continue;
    edgeKeys.add(key);
    edges.push({ ...e, from, to });
  }

  // Highlights: the most severe change of each node's resources.
  const severity = new Map<string, ChangeKind>();
  const mark = (id: string, kind: ChangeKind) => {
    const current = severity.get(id);
    if (!current || SEVERITY.indexOf(kind) > SEVERITY.indexOf(current)) severity.set(id, kind);
  };
  const loose: Array<{ stack: string; kind: ChangeKind; address: string; type: string }> = [];
  for (const summary of options.changes ?? []) {
    for (const change of summary.changes) {
      const owners = graph.ownersOf(summary.stack, change.address).map((o) => rename.get(o) ?? o);
      if (owners.length > 0) owners.forEach((o) => mark(o, change.kind));
      else loose.push({ stack: summary.stack, ...change });
    }
  }
  // Changed resources nothing drawn owns: destroyed ones that would have been drawn get a node each
  // (the configuration no longer has them), the rest are counted, in their layer's subgraph.
  const extra = new Map<string, string[]>();
  const addExtra = (layer: string | undefined, line: string) => {
    const key = layer && groups.some((g) => g.layer === layer) ? layer : '';
    (extra.get(key) ?? extra.set(key, []).get(key))?.push(line);
  };
  const ghostIds = new Set<string>();
  const undrawn = new Map<string, typeof loose>();
  for (const c of loose) {
    const layer = graph.layerOf(c.stack, c.address);
    if (NODE_TYPES[c.type] && (c.kind === 'destroy' || c.kind === 'replace')) {
      let id = `n_removed_${c.address.replace(/[^a-zA-Z0-9]+/g, '_').toLowerCase()}`;
      while (ghostIds.has(id)) id += '_';
      ghostIds.add(id);
      addExtra(layer, `${id}${shapeOf('process', label([`${c.kind}: ${NODE_TYPES[c.type].title}`, c.address], maxLabel))}`);
      mark(id, c.kind);
    } else {
      const key = layer && groups.some((g) => g.layer === layer) ? layer : '';
      (undrawn.get(key) ?? undrawn.set(key, []).get(key))?.push(c);
    }
  }
  for (const [layer, changes] of undrawn) {
    const id = `n_other_changes${layer ? `_${layer}` : ''}`;
    const worst = changes.map((u) => u.kind).sort((a, b) => SEVERITY.indexOf(b) - SEVERITY.indexOf(a))[0];
    addExtra(layer, `${id}${shapeOf('process', label([`${changes.length} other changed resource${changes.length === 1 ? '' : 's'}`, 'listed in the plan summary'], maxLabel))}`);
    mark(id, worst);
  }

  const lines = ['flowchart LR'];
  for (const group of groups) {
    const members = nodes.filter((n) => n.group === group.layer);
    lines.push(`  subgraph ${group.id}["${escape(group.title)}"]`);
    for (const n of members) lines.push(`    ${n.id}${shapeOf(n.shape, label([n.title, n.name], maxLabel))}`);
    for (const line of extra.get(group.layer) ?? []) lines.push(`    ${line}`);
    lines.push('  end');
  }
  for (const line of extra.get('') ?? []) lines.push(`  ${line}`);
  for (const e of edges) lines.push(`  ${e.from} ${e.dotted ? '-.->' : '-->'}${e.label ? `|${escape(e.label)}|` : ''} ${e.to}`);
  const used = SEVERITY.filter((k) => [...severity.values()].includes(k));
  for (const k of used) lines.push(`  classDef ${CHANGE_CLASSES[k].name} ${CHANGE_CLASSES[k].style}`);
  for (const k of used) {
    const ids = [...severity].filter(([, v]) => v === k).map(([id]) => id).sort();
    lines.push(`  class ${ids.join(',')} ${CHANGE_CLASSES[k].name}`);
  }
  return `${lines.join('\n')}\n`;
}

function shapeOf(shape: Shape, text: string): string {
  switch (shape) {
    case 'store':
      return `[("${text}")]`;
    case 'stream':
      return `[["${text}"]]`;
    case 'source':
      return `(["${text}"])`;
    case 'key':
      return `{{"${text}"}}`;
    case 'topic':
      return `>"${text}"]`;
    default:
      return `["${text}"]`;
  }
}

/** A label of lines, each capped and escaped for a quoted Mermaid label. */
function label(lines: readonly string[], max: number): string {
  return lines.map((l) => escape(l.length > max ? `${l.slice(0, max - 1)}…` : l)).join('<br/>');
}

/** Escapes text for a quoted Mermaid label (entity codes for quotes and angle brackets). */
function escape(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/[\r\n]+/g, ' ');
}

/** The environment's stacks as synthesized into `outdir` (platform.json + each cdk.tf.json). */
export function readEnvironmentStacks(outdir: string, environment: string): DiagramStack[] {
  const stacks = readStacks(outdir).filter((s) => s.environment === environment);
  return stacks.map((s) => {
    const file = join(s.dir, 'cdk.tf.json');
    if (!existsSync(file)) throw new Error(`${file} is missing; synthesize ${environment} first (npm run synth -- ${environment})`);
    return { name: s.name, config: JSON.parse(readFileSync(file, 'utf8')) as TerraformJson };
  });
}

/** The diagram of one environment as Mermaid source. */
export function environmentDiagram(environment: string, stacks: readonly DiagramStack[], options: DiagramOptions = {}): string {
  return renderMermaid(environmentGraph(environment, stacks), options);
}

/** Mermaid source as a Markdown code block, which GitHub renders as the diagram. */
export function mermaidBlock(diagram: string): string {
  return `\`\`\`mermaid\n${diagram.trimEnd()}\n\`\`\`\n`;
}
