import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaPreparedStatement } from '@cdktf/provider-aws/lib/athena-prepared-statement';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { DATASET_NAME_FIX, DATASET_NAME_RE, GovernanceConfig, Validator, ZONES } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';

/** Folder of the SQL files `governance.queries` and `governance.statements` name. */
export const QUERIES_DIR = join(__dirname, '..', 'queries');

/**
 * Longest query text Athena accepts in a named query or prepared statement (characters).
 * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateNamedQuery.html
 */
export const ATHENA_QUERY_MAX_LENGTH = 262_144;

/** One saved query of `governance.queries`: its SQL file, zone database, description and personas. */
export type SavedQueryConfig = GovernanceConfig['queries'][string];
/** One prepared statement of `governance.statements`: its SQL file, description and personas. */
export type PreparedStatementConfig = GovernanceConfig['statements'][string];

/** File names the config loader accepts: no folders, so a file can only come from the queries folder. */
const SQL_FILE_RE = /^[a-z][a-z0-9_]*\.sql$/;

/**
 * The Athena name of the prepared statement `name` (a key of `governance.statements`): Athena
 * takes `[A-Za-z_][A-Za-z0-9_]*`, so hyphens become underscores (`revenue-for-day` ->
 * `revenue_for_day`, run as `EXECUTE revenue_for_day USING ...`).
 * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_CreatePreparedStatement.html
 */
export function preparedStatementName(name: string): string {
  return name.replace(/-/g, '_');
}

/**
 * `sql` with the text of comments, string literals and quoted identifiers blanked out (newlines
 * kept), same length: what is left is code, whose `;` and `?` are real.
 */
function codeOf(sql: string): string {
  let out = '';
  let i = 0;
  const blank = (text: string) => text.replace(/[^\n]/g, ' ');
  while (i < sql.length) {
    const two = sql.slice(i, i + 2);
    let end: number;
    if (two === '--') {
      end = sql.indexOf('\n', i);
      end = end === -1 ? sql.length : end;
    } else if (two === '/*') {
      end = sql.indexOf('*/', i + 2);
      end = end === -1 ? sql.length : end + 2;
    } else if (sql[i] === "'" || sql[i] === '"') {
      // A quote inside is written twice ('it''s'); the literal ends at the first single one.
      const quote = sql[i];
      let close = i + 1;
      while (close < sql.length && !(sql[close] === quote && sql[close + 1] !== quote)) close += sql[close] === quote ? 2 : 1;
      // Unterminated: the rest of the text is inside it.
      out += close < sql.length ? quote + blank(sql.slice(i + 1, close)) + quote : quote + blank(sql.slice(i + 1));
      i = close + 1;
      continue;
    } else {
      out += sql[i];
      i += 1;
      continue;
    }
    out += blank(sql.slice(i, end));
    i = end;
  }
  return out;
}

/**
 * The statements of `sql`, split at the semicolons outside comments, string literals and quoted
 * identifiers, each trimmed and without its semicolon (its leading comments kept); pieces with
 * nothing but comments and blanks are dropped. A file holding one query gives one element.
 */
export function sqlStatements(sql: string): string[] {
  const code = codeOf(sql);
  const statements: string[] = [];
  let start = 0;
  for (let i = 0; i <= code.length; i += 1) {
    if (i === code.length || code[i] === ';') {
      if (code.slice(start, i).trim() !== '') statements.push(sql.slice(start, i).trim());
      start = i + 1;
    }
  }
  return statements;
}

/** The number of `?` parameters of `sql` (outside comments, string literals and quoted identifiers). */
export function sqlParameters(sql: string): number {
  return (codeOf(sql).match(/\?/g) ?? []).length;
}

/** Props of {@link SavedQueries}. */
export interface SavedQueriesProps {
  /** The lake: a saved query runs in its zone's catalog database. */
  readonly lake: DataLake;
  /** The environment's `governance.queries`, by query name. */
  readonly queries: Readonly<Record<string, SavedQueryConfig>>;
  /** The environment's `governance.statements`, by statement name. */
  readonly statements: Readonly<Record<string, PreparedStatementConfig>>;
  /** The Athena workgroup of each persona, by persona name (`PersonaWorkgroup.workgroup`). */
  readonly workgroups: Readonly<Record<string, AthenaWorkgroup>>;
  /**
   * Folder the SQL files are read from.
   * @default QUERIES_DIR (packages/governance/queries)
   */
  readonly dir?: string;
}

/**
 * The saved Athena queries and prepared statements of `governance.queries` and
 * `governance.statements`, copied into the workgroup of each persona they list, with their SQL
 * read from the queries folder at synth:
 *
 * - A named query per (query, persona), named after the query's key, running in its zone's
 *   catalog database (`database`), shown in the persona's Athena console under "Saved queries".
 * - A prepared statement per (statement, persona), named after the statement's key with "-"
 *   turned into "_" ({@link preparedStatementName}); run with `EXECUTE <name> USING <values>`,
 *   one value per `?` of its SQL, in the order they appear.
 * - Each file holds one statement (a trailing semicolon is dropped); a prepared statement's has at
 *   least one `?`. A changed file changes the plan: named queries are replaced, prepared
 *   statements updated in place.
 *
 * Nothing here holds data: no resource is stateful and no address is pinned.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/saved-queries.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html
 */
export class SavedQueries extends Construct {
  /** The named queries, by query name, then by persona. */
  readonly namedQueries: Readonly<Record<string, Readonly<Record<string, AthenaNamedQuery>>>>;
  /** The prepared statements, by statement name, then by persona. */
  readonly preparedStatements: Readonly<Record<string, Readonly<Record<string, AthenaPreparedStatement>>>>;

  constructor(scope: Construct, id: string, props: SavedQueriesProps) {
    super(scope, id);
    const { lake, queries, statements, workgroups } = props;
    const dir = props.dir ?? QUERIES_DIR;
    const shownDir = props.dir ?? 'packages/governance/queries';
    const v = new Validator(`SavedQueries ${this.node.path}`);
    const sql = new Map<string, string>();
    const read = (path: string, file: string, prepared: boolean) => {
      const text = readSql(v, path, file, prepared, dir, shownDir);
      if (text !== undefined) sql.set(path, text);
    };
    for (const [name, query] of Object.entries(queries)) {
      checkEntry(v, `queries.${name}`, name, query.personas, workgroups);
      v.check((ZONES as readonly string[]).includes(query.database), `queries.${name}.database`, `is ${JSON.stringify(query.database)}; use one of ${ZONES.join(', ')}`);
      read(`queries.${name}`, query.file, false);
    }
    for (const [name, statement] of Object.entries(statements)) {
      checkEntry(v, `statements.${name}`, name, statement.personas, workgroups);
      read(`statements.${name}`, statement.file, true);
    }
    v.throwIfAny();

    // One scope per query (and statement) with a child per persona: "<query>-<persona>" ids could clash.
    this.namedQueries = Object.fromEntries(
      Object.entries(queries).map(([name, query]) => [
        name,
        Object.fromEntries(query.personas.map((persona) => [
          persona,
          new AthenaNamedQuery(scopeOf(this, `query-${name}`), persona, {
            name,
            description: query.description,
            workgroup: workgroups[persona].name,
            database: lake.databases[query.database].name,
            query: sql.get(`queries.${name}`) as string,
          }),
        ])),
      ]),
    );
    this.preparedStatements = Object.fromEntries(
      Object.entries(statements).map(([name, statement]) => [
        name,
        Object.fromEntries(statement.personas.map((persona) => [
          persona,
          new AthenaPreparedStatement(scopeOf(this, `statement-${name}`), persona, {
            name: preparedStatementName(name),
            description: statement.description,
            workgroup: workgroups[persona].name,
            queryStatement: sql.get(`statements.${name}`) as string,
          }),
        ])),
      ]),
    );
  }
}

/** The child `id` of `parent`, created on first use. */
function scopeOf(parent: Construct, id: string): Construct {
  return (parent.node.tryFindChild(id) as Construct | undefined) ?? new Construct(parent, id);
}

/** Records problems with the name and personas of one query or statement at `path` (`queries.<name>`). */
function checkEntry(v: Validator, path: string, name: string, personas: readonly string[], workgroups: Readonly<Record<string, AthenaWorkgroup>>): void {
  if (!Token.isUnresolved(name) && !DATASET_NAME_RE.test(name)) v.add(path, `has the name ${JSON.stringify(name)}; ${DATASET_NAME_FIX}`);
  v.check(personas.length > 0, `${path}.personas`, 'is empty; list at least one persona whose workgroup gets it');
  const known = Object.keys(workgroups);
  personas.forEach((persona, i) => {
    if (personas.indexOf(persona) !== i) {
      v.add(`${path}.personas[${i}]`, `is ${JSON.stringify(persona)} again; list each persona once`);
    } else if (!Object.hasOwn(workgroups, persona)) {
      v.add(`${path}.personas[${i}]`, `is ${JSON.stringify(persona)}, which has no workgroup (workgroups: ${known.length > 0 ? known.join(', ') : 'none'}); list a persona of governance.personas`);
    }
  });
}

/**
 * The one statement of the SQL file `file` in `dir`, or undefined after recording why it cannot
 * be used at `<path>.file`: a name that is not a plain `.sql` file name, a file that is missing
 * (listing those that exist), empty, holding several statements or too long, or, for a prepared
 * statement, without a `?` parameter.
 */
function readSql(v: Validator, path: string, file: string, prepared: boolean, dir: string, shownDir: string): string | undefined {
  const at = `${path}.file`;
  const shown = JSON.stringify(file);
  if (!SQL_FILE_RE.test(file)) {
    v.add(at, `is ${shown}; use the name of a .sql file in ${shownDir} (lowercase letters, digits and "_"), e.g. "daily_revenue.sql"`);
    return undefined;
  }
  const full = join(dir, file);
  if (!existsSync(full)) {
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sql')).sort() : [];
    v.add(at, `is ${shown}, which is not in ${shownDir} (files: ${files.length > 0 ? files.join(', ') : 'none'}); add the file there or fix the name`);
    return undefined;
  }
  const statements = sqlStatements(readFileSync(full, 'utf8'));
  if (statements.length !== 1) {
    v.add(at, statements.length === 0
      ? `is ${shown}, which holds no SQL; write the query in it`
      : `is ${shown}, which holds ${statements.length} statements; keep one statement per file (Athena runs one statement per query)`);
    return undefined;
  }
  const [statement] = statements;
  if (statement.length > ATHENA_QUERY_MAX_LENGTH) {
    v.add(at, `is ${shown}, whose query has ${statement.length} characters; Athena takes at most ${ATHENA_QUERY_MAX_LENGTH}`);
    return undefined;
  }
  if (prepared && sqlParameters(statement) === 0) {
    v.add(at, `is ${shown}, which has no ? parameter; write a ? for each value EXECUTE passes (USING ...), or save it under governance.queries`);
    return undefined;
  }
  return statement;
}
