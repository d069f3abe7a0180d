import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { PlatformError, Problem, describeValue } from '../errors';
import { ENVIRONMENT_DEFAULTS, EnvironmentConfig, RESERVED_TAG_KEYS, arnAccount, cidrProblem, environmentSchema } from './schema';

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
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new PlatformError(
      file,
      doc.errors.map((e) => ({
        path: '',
        message: `is not valid YAML at line ${e.linePos?.[0].line ?? '?'}, column ${e.linePos?.[0].col ?? '?'}: ${firstLine(e.message)}`,
      })),
    );
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) {
    throw new PlatformError(file, [{ path: '', message: 'is empty; start from environments/local.yaml, the smallest valid file' }]);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PlatformError(file, [{ path: '', message: `is ${describeValue(raw)}, not a mapping of fields; start from environments/local.yaml` }]);
  }

  const parsed = environmentSchema.safeParse(raw, { reportInput: true });
  const problems: Problem[] = parsed.success ? [] : parsed.error.issues.flatMap(issueToProblems);
  problems.push(...crossFieldProblems(raw as Record<string, unknown>, file));
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
  const shownDir = relative(process.cwd(), dir) || '.';
  if (available.length === 0) {
    throw new PlatformError(shownDir, [{ path: '', message: 'holds no <env>.yaml files; add one (see environments/local.yaml in the repository)' }]);
  }
  const wanted = names && names.length > 0 ? [...names] : available;
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
  const expectedName = basename(file).replace(/\.ya?ml$/, '');
  if (typeof raw.name === 'string' && raw.name !== expectedName) {
    problems.push({ path: 'name', message: `is "${raw.name}" but the file is ${basename(file)}; make them equal (name: ${expectedName}) or rename the file` });
  }
  const offline = typeof raw.offline === 'boolean' ? raw.offline : ENVIRONMENT_DEFAULTS.offline;
  const stage = typeof raw.stage === 'string' ? raw.stage : ENVIRONMENT_DEFAULTS.stage;
  const protect = typeof raw.protect === 'boolean' ? raw.protect : ENVIRONMENT_DEFAULTS.protect;
  const layout = typeof raw.layout === 'string' ? raw.layout : ENVIRONMENT_DEFAULTS.layout;
  const account = typeof raw.account === 'string' ? raw.account : undefined;

  if ((PROTECTED_STAGES as readonly string[]).includes(stage)) {
    if (!protect) {
      problems.push({ path: 'protect', message: `is false in a ${stage} environment; set protect: true (stateful resources of ${PROTECTED_STAGES.join(' and ')} must never be destroyed by a plan)` });
    }
    if (offline) {
      problems.push({ path: 'offline', message: `is true in a ${stage} environment; set offline: false (a ${stage} plan must run against its real account)` });
    }
  }
  if (offline && layout === 'layered') {
    problems.push({ path: 'layout', message: 'is "layered" in an offline environment; use layout: single (offline plans have no remote state to read other layers from)' });
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
    if (Array.isArray(network.availabilityZones) && typeof raw.region === 'string') {
      network.availabilityZones.forEach((az, i) => {
        if (typeof az === 'string' && /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/.test(az) && !az.startsWith(raw.region as string)) {
          problems.push({ path: `network.availabilityZones.${i}`, message: `is "${az}", outside region ${raw.region}; use zones of ${raw.region} (e.g. ${raw.region}a)` });
        }
      });
      const seen = new Set<unknown>();
      network.availabilityZones.forEach((az, i) => {
        if (seen.has(az)) problems.push({ path: `network.availabilityZones.${i}`, message: `is "${az}" again; list each zone once` });
        seen.add(az);
      });
    }
  }
  const zones = (raw.lake as Record<string, unknown> | undefined)?.zones as Record<string, Record<string, unknown>> | undefined;
  if (zones && typeof zones === 'object') {
    for (const [zone, lc] of Object.entries(zones)) {
      if (!lc || typeof lc !== 'object') continue;
      const ia = typeof lc.infrequentAccessDays === 'number' ? lc.infrequentAccessDays : 90;
      if (typeof lc.archiveDays === 'number' && lc.archiveDays < ia + 30) {
        problems.push({ path: `lake.zones.${zone}.archiveDays`, message: `is ${lc.archiveDays}; use ${ia + 30} or more (S3 keeps objects in Standard-IA for 30 days, after infrequentAccessDays ${ia})` });
      }
      const lastTransition = typeof lc.archiveDays === 'number' ? lc.archiveDays : ia;
      if (typeof lc.expirationDays === 'number' && lc.expirationDays <= lastTransition) {
        problems.push({ path: `lake.zones.${zone}.expirationDays`, message: `is ${lc.expirationDays}; use more than ${lastTransition} (objects would expire before their last transition), or remove the transition` });
      }
    }
  }
  return problems;
}

/** Turns one zod issue into user-facing problems. */
function issueToProblems(issue: z.core.$ZodIssue): Problem[] {
  const path = issue.path.map(String).join('.');
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(issue.path);
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
      const description = schemaAt(issue.path)?.description;
      if (input === undefined) {
        return [{ path, message: `is missing; add it${description ? ` (${description})` : ''}` }];
      }
      const expected = issue.expected === 'object' ? 'a mapping of fields' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`;
      const custom = issue.message.startsWith('use ') ? issue.message : `use ${expected}`;
      return [{ path, message: `is ${describeValue(input)} (${typeName(input)}); ${custom}` }];
    }
    default:
      return [{ path, message: `is ${describeValue(input)}; ${issue.message}` }];
  }
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

/** The schema node at `path`, looking through optional/default wrappers. */
function schemaAt(path: readonly PropertyKey[]): z.ZodType | undefined {
  let node: z.ZodType | undefined = environmentSchema;
  for (const key of path) {
    node = unwrap(node);
    const def = (node as unknown as { _zod: { def: Record<string, unknown> } } | undefined)?._zod.def;
    if (!def) return undefined;
    if (def.type === 'object') node = (def.shape as Record<string, z.ZodType>)[String(key)];
    else if (def.type === 'record') node = def.valueType as z.ZodType;
    else if (def.type === 'array') node = def.element as z.ZodType;
    else return undefined;
  }
  return node;
}

function unwrap(node: z.ZodType | undefined): z.ZodType | undefined {
  let n = node;
  for (;;) {
    const def = (n as unknown as { _zod: { def: Record<string, unknown> } } | undefined)?._zod.def;
    if (def && ['optional', 'default', 'prefault', 'nullable'].includes(def.type as string)) n = def.innerType as z.ZodType;
    else return n;
  }
}

function knownKeys(path: readonly PropertyKey[]): string[] {
  const node = unwrap(schemaAt(path));
  const def = (node as unknown as { _zod: { def: Record<string, unknown> } } | undefined)?._zod.def;
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
