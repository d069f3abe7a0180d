import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { PlatformError, Problem, describeValue } from '../errors';
import { BI_DEFAULTS } from './bi';
import { GOVERNANCE_DEFAULTS, TABLE_REF_RE } from './governance';
import { PROCESSING_DEFAULTS } from './processing';
import {
  ENVIRONMENT_DEFAULTS,
  EnvironmentConfig,
  RESERVED_TAG_KEYS,
  SOURCE_PREFIXES,
  ZONES,
  ZONE_LIFECYCLE_DEFAULTS,
  arnAccount,
  cidrProblem,
  environmentSchema,
} from './schema';

/** Stages whose stateful resources must be protected and whose plans need a real account. */
export const PROTECTED_STAGES = ['staging', 'production'] as const;

/**
 * Parses and validates one environment file's text.
 *
 * Every problem is reported at once, each naming the field path, the value received and what to
 * do; the messages are prefixed with `file`. A typo in a key is an error, with a suggestion.
 *
 * @param text the YAML text
 * @param file the path shown in messages; its base name must equal the `name` field
 * @throws PlatformError listing every problem
 */
export function parseEnvironment(text: string, file: string): EnvironmentConfig {
  // With prettyErrors off, YAMLError.linePos stays unset; a LineCounter gives the position instead.
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new PlatformError(
      file,
      // yaml often reports one mistake as several errors at the same place: keep the first.
      doc.errors
        .filter((e, i, all) => all.findIndex((o) => o.pos[0] === e.pos[0]) === i)
        .map((e) => {
          const { line, col } = lines.linePos(e.pos[0]);
          return { path: '', message: `is not valid YAML at line ${line}, column ${col}: ${yamlErrorText(e.code, e.message, text, e.pos[0])}` };
        }),
    );
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) {
    throw new PlatformError(file, [{ path: '', message: 'is empty; start from environments/local.yaml, the smallest valid file' }]);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    const shown = typeof raw === 'object' ? typeName(raw) : `${typeName(raw)} (${describeValue(raw)})`;
    throw new PlatformError(file, [{ path: '', message: `is ${shown}, not a mapping of fields (key: value lines); start from environments/local.yaml` }]);
  }

  const parsed = environmentSchema.safeParse(raw, { reportInput: true });
  const problems: Problem[] = parsed.success ? [] : parsed.error.issues.flatMap((issue) => issueToProblems(issue, file, raw));
  // A field that is wrong on its own is reported once, by the schema, not again by a cross-field check.
  const reported = new Set(problems.map((p) => p.path));
  problems.push(...crossFieldProblems(raw as Record<string, unknown>, file).filter((p) => !reported.has(p.path)));
  if (problems.length > 0 || !parsed.success) throw new PlatformError(file, problems);
  return parsed.data;
}

/**
 * Reads and validates `file`.
 * @throws PlatformError when the file is missing or invalid
 */
export function loadEnvironment(file: string): EnvironmentConfig {
  if (!existsSync(file)) {
    throw new PlatformError(file, [{ path: '', message: 'does not exist; create it (copy environments/local.yaml) or pick an existing environment' }]);
  }
  return parseEnvironment(readFileSync(file, 'utf8'), file);
}

/** Lists the environment names in `dir` (every `<name>.yaml`). */
export function listEnvironments(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/**
 * Loads every environment in `dir`, or only `names`, and checks them against each other
 * (one account per environment, distinct state keys). Problems of all files are reported at once.
 *
 * @throws PlatformError listing every problem of every file
 */
export function loadEnvironments(dir: string, names?: readonly string[]): EnvironmentConfig[] {
  const available = listEnvironments(dir);
  const shownDir = displayPath(dir);
  if (!existsSync(dir)) {
    throw new PlatformError(shownDir, [{ path: '', message: 'does not exist; pass the directory holding the <env>.yaml files (environments/ in the repository)' }]);
  }
  if (available.length === 0) {
    throw new PlatformError(shownDir, [{ path: '', message: 'holds no <env>.yaml files; add one (see environments/local.yaml in the repository)' }]);
  }
  // Deduplicated: an environment named twice would otherwise clash with itself (same account, same state).
  const wanted = names && names.length > 0 ? [...new Set(names)] : available;
  const unknown = wanted.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    throw new PlatformError(shownDir, [
      { path: '', message: `has no environment ${unknown.map((n) => `"${n}"`).join(', ')}; choose from ${available.join(', ')}` },
    ]);
  }

  const envs: EnvironmentConfig[] = [];
  const problems: Problem[] = [];
  for (const name of wanted) {
    const file = join(shownDir, `${name}.yaml`);
    try {
      envs.push(parseEnvironment(readFileSync(join(dir, `${name}.yaml`), 'utf8'), file));
    } catch (e) {
      if (!(e instanceof PlatformError)) throw e;
      problems.push(...e.problems.map((p) => ({ ...p, source: file })));
    }
  }
  problems.push(...crossEnvironmentProblems(envs, shownDir));
  if (problems.length > 0) throw new PlatformError(shownDir, problems);
  return envs;
}

function crossEnvironmentProblems(envs: readonly EnvironmentConfig[], dir: string): Problem[] {
  const problems: Problem[] = [];
  const byAccount = new Map<string, string>();
  const byStateKey = new Map<string, string>();
  for (const env of envs) {
    const file = join(dir, `${env.name}.yaml`);
    if (env.offline) continue;
    const other = byAccount.get(env.account);
    if (other) {
      problems.push({ source: file, path: 'account', message: `is "${env.account}", the account of environment "${other}" too; give each environment its own AWS account` });
    } else {
      byAccount.set(env.account, env.name);
    }
    if (env.state) {
      const key = `${env.state.bucket}/${env.state.keyPrefix ?? env.name}`;
      const sharing = byStateKey.get(key);
      if (sharing) {
        problems.push({ source: file, path: 'state.keyPrefix', message: `puts state at s3://${key}/, where environment "${sharing}" keeps its state; use a distinct keyPrefix` });
      } else {
        byStateKey.set(key, env.name);
      }
    }
  }
  return problems;
}

/** Checks that need more than one field; works on the raw input so it reports alongside schema problems. */
function crossFieldProblems(raw: Record<string, unknown>, file: string): Problem[] {
  const problems: Problem[] = [];
  const expectedName = environmentName(file);
  if (typeof raw.name === 'string' && raw.name !== expectedName) {
    problems.push({ path: 'name', message: `is "${raw.name}" but the file is ${basename(file)}; make them equal (name: ${expectedName}) or rename the file` });
  }
  const offline = typeof raw.offline === 'boolean' ? raw.offline : ENVIRONMENT_DEFAULTS.offline;
  const stage = typeof raw.stage === 'string' ? raw.stage : ENVIRONMENT_DEFAULTS.stage;
  const protect = typeof raw.protect === 'boolean' ? raw.protect : ENVIRONMENT_DEFAULTS.protect;
  const layout = typeof raw.layout === 'string' ? raw.layout : ENVIRONMENT_DEFAULTS.layout;
  // Compared with deployRole only when valid: a malformed account is reported once, by the schema.
  const account = typeof raw.account === 'string' && /^\d{12}$/.test(raw.account) ? raw.account : undefined;
  // Likewise, subnet zones are compared with the region only when the region itself is valid.
  const region = environmentSchema.shape.region.safeParse(raw.region).success ? (raw.region as string) : undefined;

  if ((PROTECTED_STAGES as readonly string[]).includes(stage)) {
    if (!protect) {
      problems.push({ path: 'protect', message: `is false in a ${stage} environment; set protect: true (stateful resources of ${PROTECTED_STAGES.join(' and ')} must never be destroyed by a plan)` });
    }
    if (offline) {
      problems.push({ path: 'offline', message: `is true in a ${stage} environment; set offline: false (a ${stage} plan must run against its real account)` });
    }
  }
  if (offline && layout === 'layered') {
    const shown = raw.layout === undefined ? '"layered" (the default)' : '"layered"';
    problems.push({ path: 'layout', message: `is ${shown} in an offline environment; set layout: single (offline plans have no remote state to read other layers from)` });
  }
  if (!offline) {
    if (raw.deployRole === undefined) {
      problems.push({ path: 'deployRole', message: 'is missing; add the ARN of the role the provider assumes to deploy (apps/bootstrap creates it), or set offline: true' });
    }
    if (raw.state === undefined) {
      problems.push({ path: 'state', message: 'is missing; add state.bucket (the state bucket apps/bootstrap creates), or set offline: true' });
    }
  }
  if (account && typeof raw.deployRole === 'string' && arnAccount(raw.deployRole) && arnAccount(raw.deployRole) !== account) {
    problems.push({ path: 'deployRole', message: `is in account ${arnAccount(raw.deployRole)}, not this environment's account ${account}; use the deploy role of account ${account}` });
  }
  if (raw.tags && typeof raw.tags === 'object') {
    for (const key of Object.keys(raw.tags)) {
      if ((RESERVED_TAG_KEYS as readonly string[]).includes(key.toLowerCase())) {
        problems.push({ path: `tags.${key}`, message: `is set, but the platform sets this tag itself; remove it (reserved: ${RESERVED_TAG_KEYS.join(', ')})` });
      }
    }
  }
  const network = raw.network as Record<string, unknown> | undefined;
  if (network && typeof network === 'object') {
    if (typeof network.vpcCidr === 'string') {
      const p = cidrProblem(network.vpcCidr);
      if (p && !p.startsWith('use ')) problems.push({ path: 'network.vpcCidr', message: `is "${network.vpcCidr}"; it ${p}` });
    }
    const subnets = network.subnets as Record<string, unknown> | undefined;
    if (subnets && typeof subnets === 'object' && !Array.isArray(subnets)) {
      const entries = Object.entries(subnets);
      if (entries.length < 2) {
        problems.push({ path: 'network.subnets', message: `lists ${entries.length} subnet${entries.length === 1 ? '' : 's'}; list private subnets in at least 2 availability zones, for redundancy` });
      }
      const seen = new Map<unknown, string>();
      for (const [az, id] of entries) {
        if (region && /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/.test(az) && az.slice(0, -1) !== region) {
          problems.push({ path: `network.subnets.${az}`, message: `is in zone ${az}, outside region ${region}; use subnets of ${region} (e.g. ${region}a)` });
        }
        const first = seen.get(id);
        if (first) problems.push({ path: `network.subnets.${az}`, message: `is ${JSON.stringify(id)}, already listed for ${first}; give each zone its own subnet` });
        else seen.set(id, az);
      }
    }
  }
  const zones = (raw.lake as Record<string, unknown> | undefined)?.zones as Record<string, Record<string, unknown>> | undefined;
  if (zones && typeof zones === 'object') {
    for (const [zone, lc] of Object.entries(zones)) {
      if (!lc || typeof lc !== 'object') continue;
      const ia = typeof lc.infrequentAccessDays === 'number' ? lc.infrequentAccessDays : ZONE_LIFECYCLE_DEFAULTS.infrequentAccessDays;
      const iaShown = lc.infrequentAccessDays === undefined ? `infrequentAccessDays, default ${ia}` : `infrequentAccessDays ${ia}`;
      if (typeof lc.archiveDays === 'number' && lc.archiveDays < ia + 30) {
        problems.push({ path: `lake.zones.${zone}.archiveDays`, message: `is ${lc.archiveDays}; use ${ia + 30} or more, 30 days after the move to Standard-IA (${iaShown}): S3 keeps objects in Standard-IA at least 30 days before Glacier` });
      }
      const archived = typeof lc.archiveDays === 'number';
      const lastDay = archived ? (lc.archiveDays as number) : ia;
      if (typeof lc.expirationDays === 'number' && lc.expirationDays <= lastDay) {
        problems.push({ path: `lake.zones.${zone}.expirationDays`, message: `is ${lc.expirationDays}; use more than ${lastDay}, the day of the last transition (${archived ? `archiveDays ${lastDay}` : iaShown}): S3 expires objects only after their transitions` });
      }
    }
  }
  problems.push(...lakeTableProblems(raw));
  problems.push(...ingestionProblems(raw));
  problems.push(...processingProblems(raw));
  problems.push(...governanceProblems(raw, account));
  problems.push(...biProblems(raw));
  problems.push(...mlProblems(raw));
  const ci = fields(raw.ci);
  if (account && typeof ci?.planRole === 'string' && arnAccount(ci.planRole) && arnAccount(ci.planRole) !== account) {
    problems.push({ path: 'ci.planRole', message: `is in account ${arnAccount(ci.planRole)}, not this environment's account ${account}; use the plan role of account ${account} (apps/bootstrap creates it)` });
  }
  return problems;
}

/** Checks of the ingestion section that need other sections or compare datasets. */
function ingestionProblems(raw: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const ingestion = raw.ingestion as Record<string, Record<string, Record<string, unknown>> | undefined> | undefined;
  if (!ingestion || typeof ingestion !== 'object') return problems;
  const section = (kind: string) => {
    const value = ingestion[kind];
    return value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
  };
  for (const kind of ['databases', 'batch']) {
    const names = section(kind).map(([name]) => name);
    if (names.length > 0 && !raw.network) {
      problems.push({
        path: `ingestion.${kind}`,
        message: `declares ${names.join(', ')}, which ${names.length === 1 ? 'runs' : 'run'} in a VPC, but the file has no network section; add network.vpcId, network.vpcCidr and network.subnets`,
      });
    }
  }
  for (const [name, db] of section('databases')) {
    if (db && typeof db.sourceCidr === 'string') {
      const p = cidrProblem(db.sourceCidr, SOURCE_PREFIXES);
      if (p) problems.push({ path: `ingestion.databases.${name}.sourceCidr`, message: `is "${db.sourceCidr}"; ${p.startsWith('use ') ? p : `it ${p}`}` });
    }
  }
  const owners = new Map<string, string>();
  for (const kind of ['streams', 'databases', 'saas', 'events', 'batch']) {
    for (const [name, dataset] of section(kind)) {
      const written = dataset && typeof dataset.prefix === 'string';
      const prefix = written ? (dataset.prefix as string) : `${name}/`;
      const owner = owners.get(prefix);
      const here = `ingestion.${kind}.${name}`;
      if (owner) {
        const shown = written ? `"${prefix}"` : `"${prefix}" (the default, from the dataset name)`;
        problems.push({ path: `${here}.prefix`, message: `is ${shown}, where ${owner} lands too; give each dataset its own raw-zone prefix` });
      } else {
        owners.set(prefix, here);
      }
    }
  }
  return problems;
}

/** Checks of the processing section: names it refers to must exist, workflows must not loop. */
function processingProblems(raw: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const processing = raw.processing as Record<string, unknown> | undefined;
  if (!processing || typeof processing !== 'object') return problems;
  const jobs = new Set(entries(processing.jobs).map(([n]) => n));
  const crawlers = new Set(entries(processing.crawlers).map(([n]) => n));
  const classifiers = new Set(entries(processing.classifiers).map(([n]) => n));
  const connections = new Map(entries(processing.connections).map(([n, c]) => [n, c]));
  const streams = new Map(entries((raw.ingestion as Record<string, unknown> | undefined)?.streams));
  const list = (set: Set<string> | Map<string, unknown>) => (set.size > 0 ? [...set.keys()].join(', ') : 'none declared');

  for (const [name, job] of entries(processing.jobs)) {
    if (typeof job.connection === 'string' && !connections.has(job.connection)) {
      problems.push({ path: `processing.jobs.${name}.connection`, message: `is "${job.connection}", which is not in processing.connections (${list(connections)}); declare it there` });
    }
  }
  for (const [name, sj] of entries(processing.streamingJobs)) {
    if (typeof sj.stream !== 'string') continue;
    const stream = streams.get(sj.stream);
    if (!stream) {
      problems.push({ path: `processing.streamingJobs.${name}.stream`, message: `is "${sj.stream}", which is not in ingestion.streams (${list(streams)}); name a declared stream` });
    } else if (stream.source === 'direct-put') {
      problems.push({ path: `processing.streamingJobs.${name}.stream`, message: `is "${sj.stream}", a direct-put stream without a Kinesis stream to read; use a stream with source: kinesis` });
    }
  }
  // Crawlers in S3 event mode get a queue notification of their zone bucket each; S3 rejects a
  // bucket's notification configuration when two queue notifications' prefixes overlap.
  const eventPrefixes = new Map<string, Array<{ crawler: string; prefix: string }>>();
  for (const [name, crawler] of entries(processing.crawlers)) {
    (Array.isArray(crawler.classifiers) ? crawler.classifiers : []).forEach((c, i) => {
      if (typeof c === 'string' && !classifiers.has(c)) {
        problems.push({ path: `processing.crawlers.${name}.classifiers.${i}`, message: `is "${c}", which is not in processing.classifiers (${list(classifiers)}); declare it there` });
      }
    });
    const prefix = Array.isArray(crawler.prefixes) && crawler.prefixes.length === 1 ? crawler.prefixes[0] : undefined;
    if (crawler.recrawl !== 'events' || typeof crawler.zone !== 'string' || typeof prefix !== 'string') continue;
    const others = eventPrefixes.get(crawler.zone) ?? [];
    const other = others.find((o) => o.prefix.startsWith(prefix) || prefix.startsWith(o.prefix));
    if (other) {
      problems.push({
        path: `processing.crawlers.${name}.prefixes.0`,
        message: `is "${prefix}", which overlaps "${other.prefix}" of crawler ${other.crawler}, also recrawl: events in the ${crawler.zone} zone; `
          + 'S3 sends the events of one object to one queue only: crawl prefixes that do not contain one another, or use recrawl: new-folders-only for one of them',
      });
    } else {
      eventPrefixes.set(crawler.zone, [...others, { crawler: name, prefix }]);
    }
  }
  if (connections.size > 0 && !raw.network) {
    problems.push({
      path: 'processing.connections',
      message: `declares ${list(connections)}, which ${connections.size === 1 ? 'runs' : 'run'} in a VPC, but the file has no network section; add network.vpcId, network.vpcCidr and network.subnets`,
    });
  }
  for (const [name, wf] of entries(processing.workflows)) {
    const steps = Array.isArray(wf.steps) ? (wf.steps as Array<Record<string, unknown>>) : [];
    const stepNames = new Set(steps.map((s) => (typeof s.job === 'string' ? s.job : s.crawler)).filter((n): n is string => typeof n === 'string'));
    steps.forEach((step, i) => {
      const here = `processing.workflows.${name}.steps.${i}`;
      // A step naming both a job and a crawler is reported by the schema; its names are not checked too.
      if (typeof step.job === 'string' && typeof step.crawler === 'string') return;
      if (typeof step.job === 'string' && !jobs.has(step.job)) {
        problems.push({ path: `${here}.job`, message: `is "${step.job}", which is not in processing.jobs (${list(jobs)}); declare the job` });
      }
      if (typeof step.crawler === 'string' && !crawlers.has(step.crawler)) {
        problems.push({ path: `${here}.crawler`, message: `is "${step.crawler}", which is not in processing.crawlers (${list(crawlers)}); declare the crawler` });
      }
      (Array.isArray(step.after) ? step.after : []).forEach((a, j) => {
        if (typeof a === 'string' && !stepNames.has(a)) {
          problems.push({ path: `${here}.after.${j}`, message: `is "${a}", which is not a step of this workflow (${[...stepNames].join(', ')}); name a step listed in steps` });
        }
      });
    });
    if (!wf.schedule && !wf.onNewObjects) {
      problems.push({ path: `processing.workflows.${name}`, message: 'has neither schedule nor onNewObjects; add one so something starts it' });
    } else if (wf.schedule && wf.onNewObjects) {
      problems.push({ path: `processing.workflows.${name}`, message: 'has both schedule and onNewObjects; a Glue workflow has one start trigger: keep one' });
    }
    const cycle = findCycle(steps);
    if (cycle) problems.push({ path: `processing.workflows.${name}.steps`, message: `run in a loop (${cycle.join(' -> ')}); remove one of these "after" links` });
  }
  return problems;
}

/** A cycle among workflow steps' `after` links, as the names along it, or undefined. */
function findCycle(steps: ReadonlyArray<Record<string, unknown>>): string[] | undefined {
  const after = new Map<string, string[]>();
  for (const s of steps) {
    const n = typeof s.job === 'string' ? s.job : typeof s.crawler === 'string' ? s.crawler : undefined;
    if (n) after.set(n, (Array.isArray(s.after) ? s.after : []).filter((a): a is string => typeof a === 'string'));
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const walk = (n: string, path: string[]): string[] | undefined => {
    if (state.get(n) === 'visiting') return [...path.slice(path.indexOf(n)), n];
    if (state.get(n) === 'done' || !after.has(n)) return undefined;
    state.set(n, 'visiting');
    for (const a of after.get(n) ?? []) {
      const found = walk(a, [...path, n]);
      if (found) return found;
    }
    state.set(n, 'done');
    return undefined;
  };
  for (const n of after.keys()) {
    const found = walk(n, []);
    if (found) return found;
  }
  return undefined;
}

/*
 * The checks below read the raw file, before defaults: a value of the wrong type is the schema's
 * to report, so each helper yields only what has the expected shape and the checks skip the rest.
 */

type Fields = Record<string, unknown>;

/** `value` as a mapping of fields, or undefined when it is not one. */
function fields(value: unknown): Fields | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : undefined;
}

/** The entries of a mapping whose values are mappings themselves. */
function entries(value: unknown): Array<[string, Fields]> {
  return Object.entries(fields(value) ?? {}).filter((e): e is [string, Fields] => fields(e[1]) !== undefined);
}

/** The text items of a list, with their positions. */
function textItems(value: unknown): Array<[number, string]> {
  return (Array.isArray(value) ? value : []).flatMap((v, i): Array<[number, string]> => (typeof v === 'string' ? [[i, v]] : []));
}

/** Names for a message: "a, b", or "none declared". */
function listed(names: Iterable<string>): string {
  const all = [...names];
  return all.length > 0 ? all.join(', ') : 'none declared';
}

/** True when one key prefix contains the other (or both are the same): their objects mix. */
function overlaps(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** A table of `lake.tables` as the cross-field checks need it. */
interface LakeTable {
  readonly zone?: string;
  readonly prefix?: string;
  /** Names of its columns, then of its partition keys. */
  readonly columns: readonly string[];
}

/** The tables of lake.tables, by name. */
function lakeTables(raw: Fields): Map<string, LakeTable> {
  const columnNames = (v: unknown) => (Array.isArray(v) ? v : []).map((c) => fields(c)?.name).filter((n): n is string => typeof n === 'string');
  return new Map(
    entries(fields(raw.lake)?.tables).map(([name, t]) => [
      name,
      {
        zone: typeof t.zone === 'string' && (ZONES as readonly string[]).includes(t.zone) ? t.zone : undefined,
        prefix: typeof t.prefix === 'string' ? t.prefix : undefined,
        columns: [...columnNames(t.columns), ...columnNames(t.partitionKeys)],
      },
    ]),
  );
}

/**
 * Looks up a "<zone>.<table>" reference (already of the right shape) in lake.tables: the table, or
 * the problem (the text after `is <ref>`). A table whose own zone is invalid matches any zone.
 */
function resolveTable(ref: string, tables: ReadonlyMap<string, LakeTable>): { table?: LakeTable; problem?: string } {
  const [zone, name] = ref.split('.');
  const table = tables.get(name);
  if (!table) return { problem: `which is not in lake.tables (${listed(tables.keys())}); declare the table there, or name a declared one` };
  if (table.zone && table.zone !== zone) {
    return { problem: `but lake.tables.${name} is in the ${table.zone} zone; use "${table.zone}.${name}"` };
  }
  return { table };
}

/** Checks of lake.tables: prefixes of one zone must not mix, and no crawler may rewrite a managed table. */
function lakeTableProblems(raw: Fields): Problem[] {
  const problems: Problem[] = [];
  const tables = [...lakeTables(raw)].filter((e): e is [string, LakeTable & { zone: string; prefix: string }] => !!e[1].zone && !!e[1].prefix);
  tables.forEach(([name, table], i) => {
    const other = tables.slice(0, i).find(([, t]) => t.zone === table.zone && overlaps(t.prefix, table.prefix));
    if (other) {
      problems.push({
        path: `lake.tables.${name}.prefix`,
        message: `is "${table.prefix}", which overlaps "${other[1].prefix}" of table ${other[0]} in the ${table.zone} zone; `
          + 'Athena reads every file under a table\'s prefix: give each table a prefix that neither contains nor is inside another\'s',
      });
    }
  });
  for (const [name, crawler] of entries(fields(raw.processing)?.crawlers)) {
    // A crawler that only logs schema changes (recrawl: new-folders-only, the default) adds the
    // partitions of a managed table and leaves its schema alone; the others would rewrite it.
    const recrawl = typeof crawler.recrawl === 'string' ? crawler.recrawl : PROCESSING_DEFAULTS.crawler.recrawl;
    if (recrawl === 'new-folders-only') continue;
    for (const [i, prefix] of textItems(crawler.prefixes)) {
      const table = tables.find(([, t]) => t.zone === crawler.zone && overlaps(t.prefix, prefix));
      if (!table) continue;
      problems.push({
        path: `processing.crawlers.${name}.prefixes.${i}`,
        message: `is "${prefix}", which overlaps "${table[1].prefix}" of table ${table[0]} of lake.tables in the ${table[1].zone} zone; `
          + `a crawler with recrawl: ${recrawl} would rewrite a table Terraform manages: use recrawl: new-folders-only (it only adds partitions), remove the prefix from the crawler, or the table from lake.tables`,
      });
    }
  }
  return problems;
}

/** LF-tags declared in governance.tags: key -> allowed values. */
type DeclaredTags = ReadonlyMap<string, readonly string[]>;

/** Problems of one tag key used at `path` with `values` (one value, or a grant's list of values). */
function tagProblems(path: string, key: string, values: unknown, declared: DeclaredTags): Problem[] {
  const allowed = declared.get(key);
  if (!allowed) {
    return [{ path, message: `is ${describeValue(values)}, but ${key} is not in governance.tags (${listed(declared.keys())}); declare the tag there with its allowed values` }];
  }
  const items: Array<[string, string]> = typeof values === 'string' ? [[path, values]] : textItems(values).map(([i, v]) => [`${path}.${i}`, v]);
  return items
    .filter(([, v]) => !allowed.includes(v))
    .map(([at, v]) => ({ path: at, message: `is "${v}", which is not a value of governance.tags.${key} (${allowed.join(', ')}); use one of them, or add it there` }));
}

/** Problems of an LF-tag assignment `{ key: value }` at `path`. */
function assignmentProblems(path: string, assignment: unknown, declared: DeclaredTags): Problem[] {
  return Object.entries(fields(assignment) ?? {}).flatMap(([key, value]) => (typeof value === 'string' ? tagProblems(`${path}.${key}`, key, value, declared) : []));
}

/** The text values of an LF-tag assignment. */
function assigned(assignment: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(fields(assignment) ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Checks of the governance section: tables it tags or filters are in lake.tables, tags are declared
 * with their values, names it refers to exist, and no filter is made pointless by a tag grant.
 */
function governanceProblems(raw: Fields, account: string | undefined): Problem[] {
  const problems: Problem[] = [];
  const governance = fields(raw.governance);
  if (!governance) return problems;
  const tables = lakeTables(raw);
  const declared: DeclaredTags = new Map(
    Object.entries(fields(governance.tags) ?? {})
      .filter(([, values]) => Array.isArray(values))
      .map(([key, values]) => [key, textItems(values).map(([, v]) => v)]),
  );
  const personas = entries(governance.personas);
  const filters = new Map(entries(governance.filters));

  if (textItems(governance.administrators).length === 0 && typeof raw.deployRole !== 'string') {
    problems.push({
      path: 'governance.administrators',
      message: 'lists no role and the file has no deployRole to make the Lake Formation administrator; add a role ARN of this account (e.g. the role your plans run as)',
    });
  }
  textItems(governance.administrators).forEach(([i, arn]) => {
    const other = arnAccount(arn);
    if (account && other && other !== account) {
      problems.push({
        path: `governance.administrators.${i}`,
        message: `is in account ${other}, not this environment's account ${account}; use a role of account ${account} (Lake Formation administrators are principals of its own account)`,
      });
    }
  });
  for (const zone of ZONES) {
    problems.push(...assignmentProblems(`governance.databases.${zone}`, fields(governance.databases)?.[zone], declared));
  }
  for (const [ref, tagged] of entries(governance.tables)) {
    if (!TABLE_REF_RE.test(ref)) continue;
    const here = `governance.tables.${ref}`;
    const [zone, name] = ref.split('.');
    const table = tables.get(name);
    if (!table) {
      problems.push({ path: here, message: `is not in lake.tables (${listed(tables.keys())}); declare the table there, or tag a declared one` });
    } else if (table.zone && table.zone !== zone) {
      problems.push({ path: here, message: `is in the ${zone} zone, but lake.tables.${name} is in the ${table.zone} zone; use the key "${table.zone}.${name}"` });
    }
    problems.push(...assignmentProblems(`${here}.tags`, tagged.tags, declared));
    for (const [column, assignment] of Object.entries(fields(tagged.columns) ?? {})) {
      if (table && (!table.zone || table.zone === zone) && !table.columns.includes(column)) {
        problems.push({ path: `${here}.columns.${column}`, message: `is not a column of lake.tables.${name} (${listed(table.columns)}); use one of its columns or partition keys` });
      }
      problems.push(...assignmentProblems(`${here}.columns.${column}`, assignment, declared));
    }
  }
  /** The tables filters apply to, resolved; undefined when the reference is wrong (reported below). */
  const filtered = new Map<string, { ref: string; table: LakeTable }>();
  for (const [name, filter] of filters) {
    if (typeof filter.table !== 'string' || !TABLE_REF_RE.test(filter.table)) continue;
    const here = `governance.filters.${name}`;
    const { table, problem } = resolveTable(filter.table, tables);
    if (!table) {
      problems.push({ path: `${here}.table`, message: `is "${filter.table}", ${problem}` });
      continue;
    }
    filtered.set(name, { ref: filter.table, table });
    for (const [i, column] of textItems(filter.columns)) {
      if (!table.columns.includes(column)) {
        problems.push({ path: `${here}.columns.${i}`, message: `is "${column}", which is not a column of ${filter.table} (${listed(table.columns)}); use one of its columns or partition keys` });
      }
    }
  }
  /** A table's LF-tags: its database's, overridden by its own. */
  const effectiveTags = (ref: string): Record<string, string> => {
    const zone = ref.split('.')[0];
    return { ...assigned(fields(governance.databases)?.[zone]), ...assigned(fields(fields(governance.tables)?.[ref])?.tags) };
  };
  for (const [persona, p] of personas) {
    const here = `governance.personas.${persona}`;
    const grants = (Array.isArray(p.grants) ? p.grants : []).map(fields);
    grants.forEach((grant, i) => {
      for (const [key, values] of Object.entries(fields(grant?.tags) ?? {})) {
        if (Array.isArray(values)) problems.push(...tagProblems(`${here}.grants.${i}.tags.${key}`, key, values, declared));
      }
    });
    for (const [i, name] of textItems(p.filters)) {
      if (!filters.has(name)) {
        problems.push({ path: `${here}.filters.${i}`, message: `is "${name}", which is not in governance.filters (${listed(filters.keys())}); declare the filter there` });
        continue;
      }
      const target = filtered.get(name);
      if (!target) continue;
      const tags = effectiveTags(target.ref);
      // A read or write grant gives SELECT on every table its expression matches; LF grants add up.
      const j = grants.findIndex((g) => {
        const access = g?.access ?? GOVERNANCE_DEFAULTS.access;
        const expression = Object.entries(fields(g?.tags) ?? {});
        return (access === 'read' || access === 'write') && expression.length > 0
          && expression.every(([key, values]) => Array.isArray(values) && tags[key] !== undefined && values.includes(tags[key]));
      });
      if (j >= 0) {
        const shown = Object.entries(tags).map(([k, v]) => `${k}: ${v}`).join(', ');
        problems.push({
          path: `${here}.filters.${i}`,
          message: `is "${name}", which restricts nothing: grants.${j} already gives ${persona} SELECT on the whole of ${target.ref} (tagged ${shown}); `
            + 'remove the filter, or narrow the grant\'s tags so the table falls outside them',
        });
      }
    }
  }
  const personaNames = personas.map(([n]) => n);
  for (const kind of ['queries', 'statements']) {
    for (const [name, q] of entries(governance[kind])) {
      for (const [i, persona] of textItems(q.personas)) {
        if (!personaNames.includes(persona)) {
          problems.push({ path: `governance.${kind}.${name}.personas.${i}`, message: `is "${persona}", which is not in governance.personas (${listed(personaNames)}); declare the persona there` });
        }
      }
    }
  }
  return problems;
}

/**
 * Checks that the persona a section (bi, ml) runs as exists and its role trusts the service.
 * @returns the problems, reported at `<section>` or `<section>.persona`
 */
function personaProblems(raw: Fields, section: 'bi' | 'ml', service: string, role: string): Problem[] {
  const persona = fields(raw[section])?.persona;
  const governance = fields(raw.governance);
  if (!governance) {
    const shown = typeof persona === 'string' ? persona : '<persona>';
    return [{ path: section, message: `needs a governance section with the persona ${role}; add governance.personas.${shown}` }];
  }
  if (typeof persona !== 'string') return [];
  const personas = entries(governance.personas);
  const found = personas.find(([n]) => n === persona)?.[1];
  if (!found) {
    return [{
      path: `${section}.persona`,
      message: `is "${persona}", which is not in governance.personas (${listed(personas.map(([n]) => n))}); declare it there, with assumedBy: [${service}]`,
    }];
  }
  const assumedBy = found.assumedBy ?? [...GOVERNANCE_DEFAULTS.assumedBy];
  if (!Array.isArray(assumedBy) || assumedBy.includes(service)) return [];
  const shown = `${describeValue(assumedBy)}${found.assumedBy === undefined ? ', the default' : ''}`;
  return [{
    path: `${section}.persona`,
    message: `is "${persona}", whose role ${service} may not assume (governance.personas.${persona}.assumedBy is ${shown}); add ${service} to that assumedBy`,
  }];
}

/** Checks of the bi section: its persona, network, and the tables, columns, datasets and groups it names. */
function biProblems(raw: Fields): Problem[] {
  const problems: Problem[] = [];
  const bi = fields(raw.bi);
  if (!bi) return problems;
  problems.push(...personaProblems(raw, 'bi', 'quicksight.amazonaws.com', 'QuickSight queries as'));
  if (bi.vpcConnection === true && !raw.network) {
    problems.push({
      path: 'bi.vpcConnection',
      message: 'is true, but the file has no network section; add network.vpcId, network.vpcCidr and network.subnets, or set vpcConnection: false',
    });
  }
  const tables = lakeTables(raw);
  const groups = entries(bi.groups).map(([n]) => n);
  const datasets = entries(bi.datasets);
  const datasetNames = datasets.map(([n]) => n);
  const groupProblems = (path: string, value: unknown) =>
    textItems(value)
      .filter(([, g]) => !groups.includes(g))
      .map(([i, g]) => ({ path: `${path}.${i}`, message: `is "${g}", which is not in bi.groups (${listed(groups)}); declare the group there` }));

  for (const [name, ds] of datasets) {
    const here = `bi.datasets.${name}`;
    const columns = (Array.isArray(ds.columns) ? ds.columns : []).map(fields);
    const columnNames = columns.map((c) => c?.name).filter((n): n is string => typeof n === 'string');
    if (ds.table !== undefined && ds.sql !== undefined) {
      problems.push({ path: here, message: 'has both table and sql; keep one: table for a table of lake.tables, sql for a custom query' });
    } else if (ds.table === undefined && ds.sql === undefined) {
      problems.push({ path: here, message: 'has neither table nor sql; set table ("<zone>.<table>" of lake.tables) or sql (a custom query)' });
    } else if (typeof ds.table === 'string' && TABLE_REF_RE.test(ds.table)) {
      const { table, problem } = resolveTable(ds.table, tables);
      if (!table) problems.push({ path: `${here}.table`, message: `is "${ds.table}", ${problem}` });
      columns.forEach((c, i) => {
        if (table && typeof c?.name === 'string' && !table.columns.includes(c.name)) {
          problems.push({ path: `${here}.columns.${i}.name`, message: `is "${c.name}", which is not a column of ${ds.table} (${listed(table.columns)}); use one of its columns or partition keys` });
        }
      });
    }
    (Array.isArray(ds.calculatedFields) ? ds.calculatedFields : []).map(fields).forEach((f, i) => {
      if (typeof f?.name === 'string' && columnNames.includes(f.name)) {
        problems.push({ path: `${here}.calculatedFields.${i}.name`, message: `is "${f.name}", the name of a column of this dataset; give the calculated field another name` });
      }
    });
    if (typeof ds.rowLevelSecurity === 'string') {
      if (ds.rowLevelSecurity === name) {
        problems.push({ path: `${here}.rowLevelSecurity`, message: `is "${name}", this dataset itself; name a separate permissions dataset of bi.datasets (the rows each group or user may see)` });
      } else if (!datasetNames.includes(ds.rowLevelSecurity)) {
        problems.push({
          path: `${here}.rowLevelSecurity`,
          message: `is "${ds.rowLevelSecurity}", which is not in bi.datasets (${listed(datasetNames)}); declare the permissions dataset there`,
        });
      }
    }
    problems.push(...groupProblems(`${here}.groups`, ds.groups));
    const refresh = fields(ds.refresh);
    if (!refresh) continue;
    const importMode = ds.importMode ?? BI_DEFAULTS.importMode;
    if (importMode === 'direct') {
      problems.push({
        path: `${here}.refresh`,
        message: 'is set, but importMode is "direct": every visual queries Athena, so there is no SPICE copy to refresh; remove refresh, or set importMode: spice',
      });
    } else if (typeof refresh.incrementalColumn === 'string') {
      const column = columns.find((c) => c?.name === refresh.incrementalColumn);
      if (!column) {
        problems.push({
          path: `${here}.refresh.incrementalColumn`,
          message: `is "${refresh.incrementalColumn}", which is not a column of this dataset (${listed(columnNames)}); use one of its DATETIME columns`,
        });
      } else if (typeof column.type === 'string' && column.type !== 'DATETIME') {
        problems.push({
          path: `${here}.refresh.incrementalColumn`,
          message: `is "${refresh.incrementalColumn}", a column of type ${column.type}; use a DATETIME column of this dataset (an incremental refresh reloads a window of dates)`,
        });
      }
    }
  }
  for (const [name, dashboard] of entries(bi.dashboards)) {
    const here = `bi.dashboards.${name}`;
    for (const [i, ds] of textItems(dashboard.datasets)) {
      if (!datasetNames.includes(ds)) {
        problems.push({ path: `${here}.datasets.${i}`, message: `is "${ds}", which is not in bi.datasets (${listed(datasetNames)}); declare the dataset there` });
      }
    }
    problems.push(...groupProblems(`${here}.groups`, dashboard.groups));
  }
  return problems;
}

/** Checks of the ml section: its persona and network, and each batch prediction's prefixes and crawler. */
function mlProblems(raw: Fields): Problem[] {
  const problems: Problem[] = [];
  const ml = fields(raw.ml);
  if (!ml) return problems;
  problems.push(...personaProblems(raw, 'ml', 'sagemaker.amazonaws.com', 'Studio apps run as'));
  if (!raw.network) {
    problems.push({
      path: 'ml',
      message: 'declares a SageMaker Studio domain, which runs VPC-only, but the file has no network section; add network.vpcId, network.vpcCidr and network.subnets',
    });
  }
  const crawlers = new Map(entries(fields(raw.processing)?.crawlers));
  for (const [name, model] of entries(ml.models)) {
    const batch = fields(model.batch);
    if (!batch) continue;
    const here = `ml.models.${name}.batch`;
    const output = typeof batch.output === 'string' ? batch.output : undefined;
    if (typeof batch.crawler === 'string') {
      const crawler = crawlers.get(batch.crawler);
      const prefixes = textItems(crawler?.prefixes).map(([, p]) => p);
      if (!crawler) {
        problems.push({
          path: `${here}.crawler`,
          message: `is "${batch.crawler}", which is not in processing.crawlers (${listed(crawlers.keys())}); declare a crawler of the curated zone over batch.output there`,
        });
      } else if (typeof crawler.zone === 'string' && crawler.zone !== 'curated') {
        problems.push({
          path: `${here}.crawler`,
          message: `is "${batch.crawler}", a crawler of the ${crawler.zone} zone; use a crawler of the curated zone, where predictions are written`,
        });
      } else if (output && prefixes.length > 0 && !prefixes.some((p) => output.startsWith(p))) {
        problems.push({
          path: `${here}.crawler`,
          message: `is "${batch.crawler}", which crawls ${prefixes.join(', ')} but not batch.output "${output}"; add "${output}" to processing.crawlers.${batch.crawler}.prefixes, or use a crawler over it`,
        });
      }
    }
    if (output && typeof batch.input === 'string' && overlaps(output, batch.input)) {
      problems.push({
        path: `${here}.output`,
        message: `is "${output}", which overlaps batch.input "${batch.input}"; use prefixes that do not contain one another, so predictions never mix with the features they are scored from`,
      });
    }
  }
  return problems;
}

/** Turns one zod issue of `file` (parsed as `raw`) into user-facing problems. */
function issueToProblems(issue: z.core.$ZodIssue, file: string, raw: unknown): Problem[] {
  const path = issue.path.map(String).join('.');
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(issue.path, raw);
      return issue.keys.map((key) => {
        const guess = closest(key, known);
        const hint = guess ? `did you mean "${guess}"?` : `remove it`;
        return {
          path: path ? `${path}.${key}` : key,
          message: `is not a known field; ${hint} (allowed here: ${known.join(', ')})`,
        };
      });
    }
    case 'invalid_type': {
      const description = schemaAt(issue.path, raw)?.description;
      if (input === undefined && path === 'name') {
        return [{ path, message: `is missing; add name: ${environmentName(file)} (the file name without .yaml)` }];
      }
      if (input === undefined) {
        return [{ path, message: `is missing; add it${description ? `: ${description.replace(/\.$/, '')}` : ''}` }];
      }
      const fix = issue.message.startsWith('use ') ? issue.message : genericFix(issue.expected, input);
      // `key:` with nothing after it is null in YAML: say "empty", not "null".
      const received = input === null ? 'empty' : `${describeValue(input)} (${typeName(input)})`;
      return [{ path, message: `is ${received}; ${fix}` }];
    }
    case 'invalid_key': {
      // A record key that fails its own schema: zod nests the key's issues under a generic message.
      const fix = issue.issues.map((i) => i.message).find((m) => m.startsWith('use ')) ?? 'use a different key';
      return [{ path, message: `is not an allowed key; ${fix}` }];
    }
    case 'invalid_value': {
      // A number or boolean where a choice of words is expected (an unquoted "4.0" reads as 4): say its type.
      const typed = typeof input !== 'string' && issue.values.every((v) => typeof v === 'string');
      return [{ path, message: `is ${describeValue(input)}${typed ? ` (${typeName(input)})` : ''}; ${issue.message}` }];
    }
    case 'invalid_union': {
      // A discriminated union points at its discriminator but reports the whole object as the input.
      if (!issue.discriminator) return [{ path, message: `is ${describeValue(input)}; ${issue.message}` }];
      const written = valueAt(raw, issue.path);
      return [{ path, message: `is ${written === undefined ? 'missing' : describeValue(written)}; ${issue.message}` }];
    }
    case 'custom': {
      // A cross-field refinement of an object points at one of its fields. When the file leaves that
      // field out, zod reports the object as the input (or the field's default, when the refinement passes it).
      const written = valueAt(raw, issue.path);
      let received: string;
      if (written !== undefined) received = describeValue(written);
      else if (input !== null && typeof input === 'object' && !Array.isArray(input)) received = 'missing';
      else received = `${describeValue(input)} (the default)`;
      return [{ path, message: `is ${received}; ${issue.message}` }];
    }
    default:
      return [{ path, message: `is ${describeValue(input)}; ${issue.message}` }];
  }
}

/** The fix for a value of the wrong type, when the schema gives none of its own. */
function genericFix(expected: string, input: unknown): string {
  if (expected === 'object') return 'use a mapping of fields (key: value lines, indented under this key)';
  if (expected === 'record') return 'use a mapping (key: value lines, indented under this key)';
  if (expected === 'array') return 'use a list ([a, b] or one "- item" line each)';
  if (expected === 'string') {
    return typeof input === 'number' || typeof input === 'boolean' ? `use text: quote it ("${String(input)}")` : 'use text';
  }
  return `use a ${expected}`;
}

/** yaml's message for one syntax error, made specific where yaml's own is generic. */
function yamlErrorText(code: string, message: string, text: string, offset: number): string {
  if (code === 'DUPLICATE_KEY') {
    const key = /^["']?([^"':\n,{}]+)/.exec(text.slice(offset))?.[1]?.trim();
    if (key) return `key "${key}" appears twice in the same mapping; keep one`;
  }
  if (code === 'BAD_INDENT' || code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    return `${firstLine(message)}; check the indentation of this line and the next`;
  }
  if (code === 'TAB_AS_INDENT') return `${firstLine(message)}; indent with spaces`;
  return firstLine(message);
}

/** The environment name a file must declare: its base name without .yaml. */
function environmentName(file: string): string {
  return basename(file).replace(/\.ya?ml$/, '');
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'empty';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

/** The value at `path` in the file as parsed, or undefined when any step is absent. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The schema node at `path`, looking through optional/default wrappers and into unions (see {@link unionOption}). */
function schemaAt(path: readonly PropertyKey[], raw?: unknown): z.ZodType | undefined {
  let node: z.ZodType | undefined = environmentSchema;
  for (const [i, key] of path.entries()) {
    node = unwrap(unionOption(unwrap(node), valueAt(raw, path.slice(0, i)), key));
    const def = defOf(node);
    if (!def) return undefined;
    if (def.type === 'object') node = (def.shape as Record<string, z.ZodType>)[String(key)];
    else if (def.type === 'record') node = def.valueType as z.ZodType;
    else if (def.type === 'array') node = def.element as z.ZodType;
    else return undefined;
  }
  return node;
}

/**
 * The option of a union `node` that `value` (the file's value there) is written for: the one its
 * discriminator names, else the first object option with field `key`. Other nodes are returned as is.
 */
function unionOption(node: z.ZodType | undefined, value: unknown, key?: PropertyKey): z.ZodType | undefined {
  const def = defOf(node);
  if (def?.type !== 'union') return node;
  const options = (def.options as z.ZodType[]).map((o) => unwrap(o));
  const discriminator = def.discriminator as string | undefined;
  if (discriminator && value !== null && typeof value === 'object') {
    const chosen = (value as Record<string, unknown>)[discriminator];
    const match = options.find((o) => (o as unknown as { _zod: { propValues?: Record<string, Set<unknown>> } })._zod.propValues?.[discriminator]?.has(chosen));
    if (match) return match;
  }
  return key === undefined ? undefined : options.find((o) => defOf(o)?.type === 'object' && String(key) in (defOf(o)?.shape as object));
}

function defOf(node: z.ZodType | undefined): Record<string, unknown> | undefined {
  return (node as unknown as { _zod: { def: Record<string, unknown> } } | undefined)?._zod.def;
}

function unwrap(node: z.ZodType | undefined): z.ZodType | undefined {
  let n = node;
  for (;;) {
    const def = defOf(n);
    if (def && ['optional', 'default', 'prefault', 'nullable'].includes(def.type as string)) n = def.innerType as z.ZodType;
    else return n;
  }
}

function knownKeys(path: readonly PropertyKey[], raw: unknown): string[] {
  const def = defOf(unwrap(unionOption(unwrap(schemaAt(path, raw)), valueAt(raw, path))));
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

/** The known key closest to `key` by edit distance, when close enough to be a typo. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** `path` relative to the working directory when inside it (short messages), else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? resolve(path) : rel;
}
