/**
 * One problem found in user input: where it is, what was received, what to do.
 */
export interface Problem {
  /** The file or construct the problem belongs to, when it differs from the error's source. */
  readonly source?: string;
  /** Dotted path of the field, e.g. `lake.zones.raw.infrequentAccessDays`; empty for the whole file. */
  readonly path: string;
  /** What is wrong and what to do, e.g. `is 2; use 24 to 8760`. */
  readonly message: string;
}

/**
 * The platform's single error type for bad input (environment files, construct props).
 *
 * Carries every problem found, so a user fixes them all in one pass. `source` names the file
 * (or construct) the problems belong to; `message` lists one problem per line, each prefixed
 * with the source, ready to print without a stack trace.
 */
export class PlatformError extends Error {
  readonly problems: readonly Problem[];
  readonly source: string;

  constructor(source: string, problems: readonly Problem[]) {
    super(PlatformError.format(source, problems));
    this.name = 'PlatformError';
    this.source = source;
    this.problems = problems;
  }

  /** Formats problems as `<source>: <path> <message>`, one per line (a problem's own source wins). */
  static format(source: string, problems: readonly Problem[]): string {
    return problems
      .map((p) => `${p.source ?? source}: ${p.path ? `${p.path} ` : ''}${p.message}`)
      .join('\n');
  }
}

/** True for errors that carry a user-facing message (print it, not the stack). */
export function isPlatformError(e: unknown): e is PlatformError {
  return e instanceof PlatformError;
}

/** Renders a received value for an error message: short, quoted strings, JSON otherwise. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value);
  // JSON.stringify renders these as null (YAML's .inf and .nan parse to them).
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/**
 * Collects problems while validating construct props; throws one PlatformError at the end.
 *
 * @example
 * const v = new Validator('DataLake lake');
 * v.check(days >= 30, 'zones.raw.infrequentAccessDays', `is ${days}; use 30 or more`);
 * v.throwIfAny();
 */
export class Validator {
  private readonly problems: Problem[] = [];

  constructor(private readonly source: string) {}

  /** Records a problem unless `ok`. */
  check(ok: boolean, path: string, message: string): void {
    if (!ok) this.problems.push({ path, message });
  }

  /** Records a problem unconditionally. */
  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  get count(): number {
    return this.problems.length;
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new PlatformError(this.source, this.problems);
  }
}
