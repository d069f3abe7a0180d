import { ResourceView, RuleContext } from './rule';

/** A synthesized stack as Terraform JSON (the parts the pack reads). */
export interface StackJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly [key: string]: unknown;
}

/**
 * Read-only view of one synthesized stack, for rules that look past the resource they check:
 * the companion resources of a bucket, the policy document a role uses, and so on.
 */
export class StackView {
  readonly resources: readonly ResourceView[];
  private readonly byAddress: ReadonlyMap<string, ResourceView>;

  constructor(
    readonly name: string,
    json: StackJson,
    readonly context: RuleContext,
  ) {
    const all: ResourceView[] = [];
    for (const [kind, prefix] of [[json.resource, ''], [json.data, 'data.']] as const) {
      for (const [type, byName] of Object.entries(kind ?? {})) {
        for (const [name, raw] of Object.entries(byName)) {
          const { ['//']: meta, ...config } = raw;
          const path = (meta as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? `${this.name}/${name}`;
          all.push({ type: `${prefix}${type}`, name, address: `${prefix}${type}.${name}`, path, config });
        }
      }
    }
    this.resources = all;
    this.byAddress = new Map(all.map((r) => [r.address, r]));
  }

  /** Every resource of `type` (data sources as `data.<type>`). */
  ofType(type: string): ResourceView[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The resource at `address`, if it is in this stack. */
  get(address: string): ResourceView | undefined {
    return this.byAddress.get(address);
  }

  /**
   * Resources of `type` whose `attribute` refers to `target` (e.g. the versioning resource whose
   * `bucket` is `${aws_s3_bucket.lake_raw_bucket.id}`).
   */
  referencing(type: string, attribute: string, target: ResourceView): ResourceView[] {
    return this.ofType(type).filter((r) => refersTo(r.config[attribute], target.address));
  }

  /** The resource a `${<address>.<attr>}` reference points at, when it is in this stack. */
  resolveReference(value: unknown): ResourceView | undefined {
    const address = referencedAddress(value);
    return address ? this.get(address) : undefined;
  }
}

/** True when `value` is (or contains) a reference to an attribute of the resource at `address`. */
export function refersTo(value: unknown, address: string): boolean {
  if (typeof value === 'string') return value.includes(`\${${address}.`);
  if (Array.isArray(value)) return value.some((v) => refersTo(v, address));
  return false;
}

/** The address in a whole-value reference `${type.name.attr}` (or `${data.type.name.attr}`). */
export function referencedAddress(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_.[\]]+\}$/.exec(value);
  return m?.[1];
}

/** A resource attribute that a Terraform string reads. */
export interface AttributeReference {
  /** Type of the resource or data source, without `data.`, e.g. `aws_secretsmanager_secret`. */
  readonly type: string;
  /** The attribute read, e.g. `arn`. */
  readonly attribute: string;
}

/**
 * The resource types a rule looks for in references, and the attributes to read from a
 * cross-stack one. cdktf passes a value to another stack as a remote-state output named after the
 * reference with its dots removed
 * (`${data.terraform_remote_state.<x>.outputs.cross-stack-output-aws_secretsmanager_secretdbarn}`),
 * so there the type is the longest of `types` the output name starts with and the attribute the
 * longest of `attributes` it ends with.
 */
export interface ReferenceTargets {
  readonly types: readonly string[];
  /** Attributes that may end a cross-stack output name (same-stack references name theirs). */
  readonly attributes: readonly string[];
}

/** `[data.]<type>.<name>.<attribute>`: a reference within this stack. */
const SAME_STACK = String.raw`(?:data\.)?([a-z][a-z0-9_]*)\.[A-Za-z_][\w-]*\.([a-z_][a-z0-9_]*)`;
/** `outputs.cross-stack-output-<type><name><attribute>`, with `data` first for a data source. */
const CROSS_STACK = String.raw`outputs\.cross-stack-output-(?:data)?([\w-]+)`;

const WHOLE_SAME_STACK = new RegExp(String.raw`^\$\{${SAME_STACK}\}$`);
const WHOLE_CROSS_STACK = new RegExp(String.raw`^\$\{data\.terraform_remote_state\.[\w-]+\.${CROSS_STACK}\}$`);
const ANY_SAME_STACK = new RegExp(String.raw`(?<![\w.-])${SAME_STACK}`, 'g');
const ANY_CROSS_STACK = new RegExp(CROSS_STACK, 'g');

const longest = (candidates: readonly string[]): string | undefined =>
  candidates.reduce<string | undefined>((a, b) => (a === undefined || b.length > a.length ? b : a), undefined);

function sameStack([, type, attribute]: RegExpMatchArray, targets: ReferenceTargets): AttributeReference | undefined {
  return targets.types.includes(type) ? { type, attribute } : undefined;
}

function crossStack(output: string, targets: ReferenceTargets): AttributeReference | undefined {
  const type = longest(targets.types.filter((t) => output.startsWith(t)));
  const attribute = longest(targets.attributes.filter((a) => output.endsWith(a)));
  return type !== undefined && attribute !== undefined ? { type, attribute } : undefined;
}

/**
 * The attribute of one of `targets.types` that `value` is: a whole-value reference within this
 * stack (`${aws_quicksight_group.analysts.arn}`) or from another stack (see {@link ReferenceTargets}).
 */
export function referencedAttribute(value: unknown, targets: ReferenceTargets): AttributeReference | undefined {
  if (typeof value !== 'string') return undefined;
  const local = WHOLE_SAME_STACK.exec(value);
  if (local) return sameStack(local, targets);
  const output = WHOLE_CROSS_STACK.exec(value)?.[1];
  return output === undefined ? undefined : crossStack(output, targets);
}

/**
 * Every attribute of one of `targets.types` that `value` reads, anywhere in it (inside function
 * calls too): references within this stack first, then those from other stacks.
 */
export function referencedAttributes(value: unknown, targets: ReferenceTargets): AttributeReference[] {
  if (typeof value !== 'string') return [];
  return [
    ...[...value.matchAll(ANY_SAME_STACK)].map((m) => sameStack(m, targets)),
    ...[...value.matchAll(ANY_CROSS_STACK)].map((m) => crossStack(m[1], targets)),
  ].filter((r): r is AttributeReference => r !== undefined);
}

/** True for a value Terraform computes (a reference or expression), not a literal. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** The first element of a nested block (Terraform JSON writes blocks as lists or objects). */
export function block(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value)) return value[0] as Record<string, unknown> | undefined;
  if (value && typeof value === 'object') return value as Record<string, unknown>;
  return undefined;
}

/** Every element of a nested block list. */
export function blocks(value: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(value)) return value as Array<Record<string, unknown>>;
  if (value && typeof value === 'object') return [value as Record<string, unknown>];
  return [];
}

/** True for a non-empty string (a literal or a `${...}` reference). */
export function isSet(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** True for `true` and Terraform's string form `"true"`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
