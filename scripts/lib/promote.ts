/**
 * What promoting the same commit from one environment to the next changes: the two environment
 * files compared field by field (parsed YAML, not text), sorted into what a reviewer must look at
 * (changed values, fields only one file has) and what always differs between environments.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { EnvironmentConfig, loadEnvironment } from '@data-platform/core';

/**
 * Top-level fields that differ between any two environments by design: identity, account, state,
 * network, CI wiring, stage and protection. Listed apart, as expected.
 */
export const EXPECTED_TO_DIFFER: readonly string[] = ['name', 'account', 'deployRole', 'state', 'network', 'ci', 'stage', 'protect'];

/** Longest value shown in a difference; longer ones end in "…". */
export const MAX_VALUE_LENGTH = 120;

/** One field that differs; `from` or `to` is undefined where the file does not set the field. */
export interface FieldDifference {
  /** Dotted path (`lake.zones.raw.expirationDays`); list items with a `name` as `columns[name=event_id]`. */
  readonly path: string;
  readonly from?: unknown;
  readonly to?: unknown;
  /** Where the `from` file is silent: the value its environment gets anyway (a default), if any. */
  readonly fromDefault?: unknown;
  /** Where the `to` file is silent: the value its environment gets anyway (a default), if any. */
  readonly toDefault?: unknown;
}

/** The semantic difference of two environment files. */
export interface EnvironmentDiff {
  readonly from: string;
  readonly to: string;
  /** The files compared. */
  readonly files: { readonly from: string; readonly to: string };
  /** Values that differ. */
  readonly changed: readonly FieldDifference[];
  /** Fields only the `from` file sets (a dataset not promoted yet, a default overridden only there). */
  readonly onlyInFrom: readonly FieldDifference[];
  /** Fields only the `to` file sets. */
  readonly onlyInTo: readonly FieldDifference[];
  /** Values equal once the environment's name and account are swapped (hosts, secret ARNs, images). */
  readonly byName: readonly FieldDifference[];
  /** Fields under {@link EXPECTED_TO_DIFFER}. */
  readonly expected: readonly FieldDifference[];
}

/** An environment file: its validated config and what the file itself says. */
export interface EnvironmentFile {
  readonly file: string;
  readonly config: EnvironmentConfig;
  /** The parsed YAML, defaults not applied. */
  readonly raw: Record<string, unknown>;
}

/**
 * Reads and validates `<dir>/<name>.yaml`.
 * @throws PlatformError (the config loader's, naming file, field and fix) when missing or invalid
 */
export function readEnvironmentFile(dir: string, name: string): EnvironmentFile {
  const file = join(dir, `${name}.yaml`);
  const config = loadEnvironment(file);
  return { file, config, raw: parse(readFileSync(file, 'utf8')) as Record<string, unknown> };
}

type Leaves = Map<string, unknown>;

/** Flattens to leaves: objects by key, lists of named objects by name, other lists as one value. */
function leaves(value: unknown, path = '', out: Leaves = new Map()): Leaves {
  if (isRecord(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, `${path}${keySegment(k, path === '')}`, out);
  } else if (Array.isArray(value) && value.length > 0 && value.every((v) => isRecord(v) && typeof v.name === 'string')) {
    const names = value.map((v) => (v as { name: string }).name);
    if (new Set(names).size !== names.length) {
      out.set(path, value);
    } else {
      for (const v of value as Array<Record<string, unknown>>) leaves(v, `${path}[name=${v.name}]`, out);
    }
  } else {
    out.set(path, value);
  }
  return out;
}

function keySegment(key: string, first: boolean): string {
  if (/^[A-Za-z_][\w-]*$/.test(key)) return first ? key : `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Replaces whole-word occurrences of `from`'s name and account by `to`'s, in every string of `value`. */
function swapIdentity(value: unknown, from: { name: string; account: string }, to: { name: string; account: string }): unknown {
  const word = (w: string) => new RegExp(`(?<![A-Za-z0-9])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'g');
  const text = JSON.stringify(value) ?? '';
  return JSON.parse(text.replace(word(from.account), to.account).replace(word(from.name), to.name)) as unknown;
}

/**
 * Compares two environment files field by field. A field set in only one file is reported at the
 * highest level where it is missing in the other (a whole dataset, not each of its fields).
 */
export function diffEnvironments(from: EnvironmentFile, to: EnvironmentFile): EnvironmentDiff {
  const a = leaves(from.raw);
  const b = leaves(to.raw);
  const changed: FieldDifference[] = [];
  const onlyInFrom: FieldDifference[] = [];
  const onlyInTo: FieldDifference[] = [];
  const byName: FieldDifference[] = [];
  const expected: FieldDifference[] = [];
  const idFrom = { name: from.config.name, account: from.config.account };
  const idTo = { name: to.config.name, account: to.config.account };

  const reportedMissing = new Set<string>();
  const missingAt = (path: string, other: Record<string, unknown>): string => {
    // The shortest prefix of `path` that the other file does not have.
    const parts = splitPath(path);
    for (let i = 1; i <= parts.length; i++) {
      const prefix = joinPath(parts.slice(0, i));
      if (!hasPath(other, parts.slice(0, i))) return prefix;
    }
    return path;
  };
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  for (const path of paths) {
    const top = splitPath(path)[0];
    const inA = a.has(path);
    const inB = b.has(path);
    const target = EXPECTED_TO_DIFFER.includes(top) ? expected : undefined;
    if (inA && inB) {
      if (same(a.get(path), b.get(path))) continue;
      const difference = { path, from: a.get(path), to: b.get(path) };
      if (target) target.push(difference);
      else if (same(swapIdentity(a.get(path), idFrom, idTo), b.get(path))) byName.push(difference);
      else changed.push(difference);
      continue;
    }
    const at = missingAt(path, inA ? to.raw : from.raw);
    const key = `${inA ? 'from' : 'to'}:${at}`;
    if (reportedMissing.has(key)) continue;
    reportedMissing.add(key);
    const value = valueAt(inA ? from.raw : to.raw, splitPath(at));
    const silent = valueAt(inA ? to.config : from.config, splitPath(at));
    const difference: FieldDifference = inA
      ? { path: at, from: value, ...(silent === undefined ? {} : { toDefault: silent }) }
      : { path: at, to: value, ...(silent === undefined ? {} : { fromDefault: silent }) };
    if (silent !== undefined && same(silent, value)) continue; // set explicitly to what the other gets by default
    if (target) target.push(difference);
    else (inA ? onlyInFrom : onlyInTo).push(difference);
  }
  const byPath = (x: FieldDifference, y: FieldDifference) => x.path.localeCompare(y.path);
  return {
    from: from.config.name,
    to: to.config.name,
    files: { from: from.file, to: to.file },
    changed: changed.sort(byPath),
    onlyInFrom: onlyInFrom.sort(byPath),
    onlyInTo: onlyInTo.sort(byPath),
    byName: byName.sort(byPath),
    expected: expected.sort(byPath),
  };
}

/** Path segments: keys, `[name=x]` list items and `["quoted.keys"]`. */
function splitPath(path: string): string[] {
  return [...path.matchAll(/\[name=([^\]]*)\]|\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g)].map((m) =>
    m[1] !== undefined ? `[name=${m[1]}]` : m[2] !== undefined ? (JSON.parse(`"${m[2]}"`) as string) : m[3],
  );
}

function joinPath(parts: readonly string[]): string {
  return parts.map((p, i) => (p.startsWith('[name=') ? p : keySegment(p, i === 0))).join('');
}

function step(value: unknown, part: string): unknown {
  if (part.startsWith('[name=') && Array.isArray(value)) return value.find((v) => isRecord(v) && v.name === part.slice(6, -1));
  return isRecord(value) ? value[part] : undefined;
}

function hasPath(value: unknown, parts: readonly string[]): boolean {
  let current = value;
  for (const part of parts) {
    if (part.startsWith('[name=') ? !Array.isArray(current) : !isRecord(current) || !(part in current)) return false;
    current = step(current, part);
    if (current === undefined) return false;
  }
  return true;
}

function valueAt(value: unknown, parts: readonly string[]): unknown {
  return parts.reduce<unknown>((v, p) => step(v, p), value);
}

/** A value as shown: JSON (strings quoted, so `"1"` and `1` differ visibly), capped. */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

/** One side of a difference: its value, or that the file does not set it (and the default it gets). */
function side(value: unknown, fallback: unknown): string {
  if (value !== undefined) return showValue(value);
  return fallback === undefined ? '(unset)' : `(unset, default ${showValue(fallback)})`;
}

/** Whether anything differs besides what differs between any two environments. */
export function hasReviewableDifferences(diff: EnvironmentDiff): boolean {
  return diff.changed.length + diff.onlyInFrom.length + diff.onlyInTo.length > 0;
}

function sections(diff: EnvironmentDiff): ReadonlyArray<{ title: string; items: readonly FieldDifference[] }> {
  return [
    { title: 'Changed', items: diff.changed },
    { title: `Only in ${diff.from}`, items: diff.onlyInFrom },
    { title: `Only in ${diff.to}`, items: diff.onlyInTo },
    { title: `Differ only by the environment's name or account`, items: diff.byName },
    { title: 'Expected to differ per environment', items: diff.expected },
  ];
}

/** The difference as plain text for the terminal. */
export function formatDiff(diff: EnvironmentDiff): string {
  const out = [`Promoting ${diff.from} -> ${diff.to}: what differs between ${relative(process.cwd(), diff.files.from)} and ${relative(process.cwd(), diff.files.to)}`];
  if (!hasReviewableDifferences(diff)) out.push('', `No differences besides the expected ones.`);
  for (const { title, items } of sections(diff)) {
    if (items.length === 0) continue;
    out.push('', `${title} (${items.length}):`);
    for (const d of items) out.push(`  ${d.path}: ${side(d.from, d.fromDefault)} -> ${side(d.to, d.toDefault)}`);
  }
  return `${out.join('\n')}\n`;
}

/** The difference as Markdown: one table per kind, expected differences folded. */
export function markdownDiff(diff: EnvironmentDiff): string {
  const out = [`### Promotion ${diff.from} → ${diff.to}`, ''];
  out.push(
    hasReviewableDifferences(diff)
      ? `${diff.changed.length} changed, ${diff.onlyInFrom.length} only in ${diff.from}, ${diff.onlyInTo.length} only in ${diff.to}.`
      : 'No differences besides the expected ones.',
  );
  for (const { title, items } of sections(diff)) {
    if (items.length === 0) continue;
    const table = [`| field | ${diff.from} | ${diff.to} |`, '| --- | --- | --- |', ...items.map((d) => `| \`${d.path}\` | ${cell(d.from, d.fromDefault)} | ${cell(d.to, d.toDefault)} |`)];
    const folded = title.startsWith('Expected') || title.startsWith('Differ only');
    if (folded) out.push('', `<details><summary>${title} (${items.length})</summary>`, '', ...table, '', '</details>');
    else out.push('', `#### ${title} (${items.length})`, '', ...table);
  }
  return `${out.join('\n')}\n`;
}

function cell(value: unknown, fallback: unknown): string {
  const code = (v: unknown) => `\`${showValue(v).replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
  if (value !== undefined) return code(value);
  return fallback === undefined ? '_(unset)_' : `_(unset, default ${code(fallback)})_`;
}
