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

/** True for `true` and Terraform's string form `"true"`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
