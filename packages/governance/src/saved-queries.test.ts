import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack } from 'cdktf';
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaPreparedStatement } from '@cdktf/provider-aws/lib/athena-prepared-statement';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import {
  EnvironmentConfig,
  EnvironmentInput,
  PlatformStack,
  errorOf,
  listEnvironments,
  loadEnvironment,
  problemsOf,
  ref,
  synthesize,
  synthesizedResource as resource,
  testEnvironment,
} from '@data-platform/core';
import { DataLake, layeredStacks, stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { PersonaWorkgroup } from './athena-workgroup';
import { CatalogEncryption } from './catalog-encryption';
import {
  ATHENA_QUERY_MAX_LENGTH,
  PreparedStatementConfig,
  QUERIES_DIR,
  SavedQueries,
  SavedQueryConfig,
  preparedStatementName,
  sqlParameters,
  sqlStatements,
} from './saved-queries';

const ENVIRONMENTS_DIR = join(__dirname, '..', '..', '..', 'environments');

/** The saved queries of environments/dev.yaml. */
const QUERIES: Record<string, SavedQueryConfig> = {
  'daily-revenue': { file: 'daily_revenue.sql', database: 'curated', description: 'Revenue of the last 30 days.', personas: ['analysts', 'data-engineers'] },
  'clickstream-funnel': { file: 'clickstream_funnel.sql', database: 'processed', personas: ['analysts'] },
};
/** The prepared statement of environments/dev.yaml. */
const STATEMENTS: Record<string, PreparedStatementConfig> = {
  'revenue-for-day': { file: 'revenue_for_day.sql', description: 'Revenue per country on one day.', personas: ['analysts'] },
};

const env = (overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig => testEnvironment({ name: 'dev', ...overrides });

/** A persona workgroup per name in `stack`, each with a role of its own. */
function workgroupsIn(stack: TerraformStack, lake: DataLake, personas: readonly string[]) {
  const account = (stack as PlatformStack).env.account;
  return Object.fromEntries(personas.map((persona) => {
    const role = new IamRole(stack, `${persona}-role`, {
      name: `adp-governance-${persona}`,
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }] }),
    });
    return [persona, new PersonaWorkgroup(stack, `workgroup-${persona}`, { lake, role, persona, bytesScannedCutoffMb: 1024 }).workgroup];
  }));
}

interface BuildOptions {
  readonly queries?: Record<string, SavedQueryConfig>;
  readonly statements?: Record<string, PreparedStatementConfig>;
  readonly dir?: string;
  readonly personas?: readonly string[];
}

/** The lake, the workgroups of analysts and data-engineers, and the saved queries, in one stack `dev`. */
function build(options: BuildOptions = {}) {
  const { stack, lake } = stackWithLake(env());
  const workgroups = workgroupsIn(stack, lake, options.personas ?? ['analysts', 'data-engineers']);
  const create = () => new SavedQueries(stack, 'saved', {
    lake, workgroups, queries: options.queries ?? QUERIES, statements: options.statements ?? STATEMENTS, dir: options.dir,
  });
  return { stack, lake, workgroups, create };
}

function synth(options: BuildOptions = {}) {
  const built = build(options);
  const saved = built.create();
  return { ...built, saved, ...synthesize(built.stack) };
}

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A temporary folder holding `files` (name -> SQL), removed after the tests. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'queries-'));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The one statement of the sample file `file`. */
const sampleSql = (file: string) => sqlStatements(readFileSync(join(QUERIES_DIR, file), 'utf8'))[0];

describe('SavedQueries', () => {
  describe('named queries', () => {
    it('saves each query in the workgroup of each of its personas, running in its zone\'s database, with the SQL of its file', () => {
      const { tf, saved, workgroups } = synth();
      expect(resource(tf, 'aws_athena_named_query', saved.namedQueries['daily-revenue'].analysts.friendlyUniqueId)).toEqual({
        name: 'daily-revenue',
        description: 'Revenue of the last 30 days.',
        workgroup: ref(workgroups.analysts, 'name'),
        database: '${aws_glue_catalog_database.lake_curated_database.name}',
        query: sampleSql('daily_revenue.sql'),
      });
      expect(resource(tf, 'aws_athena_named_query', saved.namedQueries['daily-revenue']['data-engineers'].friendlyUniqueId)).toMatchObject({
        name: 'daily-revenue',
        workgroup: ref(workgroups['data-engineers'], 'name'),
      });
      const funnel = resource(tf, 'aws_athena_named_query', saved.namedQueries['clickstream-funnel'].analysts.friendlyUniqueId);
      expect(funnel).toMatchObject({ database: '${aws_glue_catalog_database.lake_processed_database.name}', query: sampleSql('clickstream_funnel.sql') });
      expect(funnel).not.toHaveProperty('description');
    });

    it('creates one named query per query and persona, and none for personas not listed', () => {
      const { tf, saved } = synth();
      expect(Object.keys(tf.resource?.aws_athena_named_query ?? {})).toHaveLength(3);
      expect(Object.keys(saved.namedQueries)).toEqual(['daily-revenue', 'clickstream-funnel']);
      expect(Object.keys(saved.namedQueries['daily-revenue'])).toEqual(['analysts', 'data-engineers']);
      expect(Object.keys(saved.namedQueries['clickstream-funnel'])).toEqual(['analysts']);
      expect(saved.namedQueries['daily-revenue'].analysts).toBeInstanceOf(AthenaNamedQuery);
    });

    it('keeps apart queries and personas whose names join the same way', () => {
      const { tf, saved } = synth({
        personas: ['analysts', 'revenue-analysts'],
        queries: {
          'daily-revenue': { file: 'daily_revenue.sql', database: 'curated', personas: ['analysts'] },
          'daily': { file: 'daily_revenue.sql', database: 'curated', personas: ['revenue-analysts'] },
        },
        statements: {},
      });
      expect(Object.keys(tf.resource?.aws_athena_named_query ?? {})).toHaveLength(2);
      expect(saved.namedQueries.daily['revenue-analysts']).not.toBe(saved.namedQueries['daily-revenue'].analysts);
    });
  });

  describe('prepared statements', () => {
    it('creates each statement in the workgroup of each of its personas, named with underscores, with the SQL of its file', () => {
      const { tf, saved, workgroups } = synth({ statements: { 'revenue-for-day': { ...STATEMENTS['revenue-for-day'], personas: ['analysts', 'data-engineers'] } } });
      expect(resource(tf, 'aws_athena_prepared_statement', saved.preparedStatements['revenue-for-day'].analysts.friendlyUniqueId)).toEqual({
        name: 'revenue_for_day',
        description: 'Revenue per country on one day.',
        workgroup: ref(workgroups.analysts, 'name'),
        query_statement: sampleSql('revenue_for_day.sql'),
      });
      expect(saved.preparedStatements['revenue-for-day']['data-engineers']).toBeInstanceOf(AthenaPreparedStatement);
      expect(Object.keys(tf.resource?.aws_athena_prepared_statement ?? {})).toHaveLength(2);
    });

    it('maps hyphens to underscores, the only separator Athena takes in a statement name', () => {
      expect(preparedStatementName('revenue-for-day')).toBe('revenue_for_day');
      expect(preparedStatementName('churn')).toBe('churn');
      expect(preparedStatementName('a-b-c1')).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    });

    it('creates nothing when there are no queries or statements', () => {
      const { tf, saved } = synth({ queries: {}, statements: {} });
      expect(tf.resource?.aws_athena_named_query).toBeUndefined();
      expect(tf.resource?.aws_athena_prepared_statement).toBeUndefined();
      expect(saved.namedQueries).toEqual({});
      expect(saved.preparedStatements).toEqual({});
    });
  });

  describe('SQL files', () => {
    it('reads from packages/governance/queries by default', () => {
      expect(QUERIES_DIR).toBe(join(__dirname, '..', 'queries'));
      expect(ATHENA_QUERY_MAX_LENGTH).toBe(262_144);
    });

    it('drops a trailing semicolon and surrounding blank lines, and keeps leading comments', () => {
      const dir = folder({ 'a.sql': '\n-- Orders per day.\nSELECT 1 AS one;\n\n', 'b.sql': 'SELECT * FROM t WHERE d = ?;' });
      const { tf, saved } = synth({
        dir,
        queries: { one: { file: 'a.sql', database: 'raw', personas: ['analysts'] } },
        statements: { day: { file: 'b.sql', personas: ['analysts'] } },
      });
      expect(resource(tf, 'aws_athena_named_query', saved.namedQueries.one.analysts.friendlyUniqueId).query).toBe('-- Orders per day.\nSELECT 1 AS one');
      expect(resource(tf, 'aws_athena_prepared_statement', saved.preparedStatements.day.analysts.friendlyUniqueId).query_statement).toBe('SELECT * FROM t WHERE d = ?');
    });

    describe('the samples', () => {
      const files = readdirSync(QUERIES_DIR).filter((f) => f.endsWith('.sql')).sort();

      it('are the queries of the sample datasets', () => {
        expect(files).toEqual(['churn_scores.sql', 'clickstream_funnel.sql', 'daily_revenue.sql', 'revenue_by_country.sql', 'revenue_for_day.sql', 'top_products.sql']);
      });

      it.each(files)('%s holds exactly one statement', (file) => {
        const text = readFileSync(join(QUERIES_DIR, file), 'utf8');
        expect(text.trim()).not.toBe('');
        expect(sqlStatements(text)).toHaveLength(1);
        expect(sqlStatements(text)[0]).toMatch(/^(--[^\n]*\n)*(SELECT|WITH)\b/);
      });

      it('has a ? in the prepared statement and none in the saved queries', () => {
        expect(sqlParameters(sampleSql('revenue_for_day.sql'))).toBe(1);
        for (const file of files.filter((f) => f !== 'revenue_for_day.sql')) expect([file, sqlParameters(sampleSql(file))]).toEqual([file, 0]);
      });

      it('has every file the environments name, as a query or a prepared statement of the right kind', () => {
        const environments = listEnvironments(ENVIRONMENTS_DIR).map((name) => loadEnvironment(join(ENVIRONMENTS_DIR, `${name}.yaml`)));
        const named = environments.flatMap((e) => [
          ...Object.values(e.governance?.queries ?? {}).map((q) => ({ file: q.file, prepared: false })),
          ...Object.values(e.governance?.statements ?? {}).map((s) => ({ file: s.file, prepared: true })),
        ]);
        expect(named.length).toBeGreaterThan(0);
        for (const { file, prepared } of named) {
          expect(files).toContain(file);
          expect([file, sqlParameters(sampleSql(file)) > 0]).toEqual([file, prepared]);
        }
      });
    });
  });

  describe('sqlStatements and sqlParameters', () => {
    it('split at semicolons outside comments, string literals and quoted identifiers', () => {
      const sql = "-- a; comment\nSELECT 'a;b', \"c;d\" /* e; */ FROM t; SELECT 'it''s;' ;\n-- end;";
      expect(sqlStatements(sql)).toEqual(["-- a; comment\nSELECT 'a;b', \"c;d\" /* e; */ FROM t", "SELECT 'it''s;'"]);
    });

    it('drop pieces with nothing but comments and blanks', () => {
      expect(sqlStatements('  \n-- only a comment\n/* and; another */\n ;\n')).toEqual([]);
      expect(sqlStatements('')).toEqual([]);
    });

    it('treat an unterminated literal or comment as running to the end', () => {
      expect(sqlStatements("SELECT 'a; b")).toEqual(["SELECT 'a; b"]);
      expect(sqlStatements('SELECT 1 /* a; b')).toEqual(['SELECT 1 /* a; b']);
    });

    it('count the ? outside comments, string literals and quoted identifiers', () => {
      expect(sqlParameters("SELECT '?', \"?\" FROM t -- ?\nWHERE a = ? /* ? */ AND b = ?")).toBe(2);
      expect(sqlParameters('SELECT 1')).toBe(0);
    });
  });

  describe('validation', () => {
    it('reports every problem at once, by its path in the governance section, and creates nothing', () => {
      const dir = folder({
        'empty.sql': '-- nothing yet\n',
        'two.sql': 'SELECT 1; SELECT 2;',
        'no_parameter.sql': 'SELECT 1',
        'ok.sql': 'SELECT 1',
      });
      const { stack, create } = build({
        dir,
        queries: {
          'orders': { file: 'missing.sql', database: 'gold' as never, personas: ['analysts', 'analysts', 'marketing'] },
          'empty': { file: 'empty.sql', database: 'raw', personas: [] },
          'two': { file: 'two.sql', database: 'raw', personas: ['analysts'] },
          'Bad_Name': { file: '../ok.sql', database: 'raw', personas: ['analysts'] },
        },
        statements: { 'day': { file: 'no_parameter.sql', personas: ['data-engineers'] } },
      });
      expect(problemsOf(create)).toEqual([
        'SavedQueries dev/saved: queries.orders.personas[1] is "analysts" again; list each persona once',
        'SavedQueries dev/saved: queries.orders.personas[2] is "marketing", which has no workgroup (workgroups: analysts, data-engineers); list a persona of governance.personas',
        'SavedQueries dev/saved: queries.orders.database is "gold"; use one of raw, processed, curated',
        `SavedQueries dev/saved: queries.orders.file is "missing.sql", which is not in ${dir} (files: empty.sql, no_parameter.sql, ok.sql, two.sql); add the file there or fix the name`,
        'SavedQueries dev/saved: queries.empty.personas is empty; list at least one persona whose workgroup gets it',
        'SavedQueries dev/saved: queries.empty.file is "empty.sql", which holds no SQL; write the query in it',
        'SavedQueries dev/saved: queries.two.file is "two.sql", which holds 2 statements; keep one statement per file (Athena runs one statement per query)',
        'SavedQueries dev/saved: queries.Bad_Name has the name "Bad_Name"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        `SavedQueries dev/saved: queries.Bad_Name.file is "../ok.sql"; use the name of a .sql file in ${dir} (lowercase letters, digits and "_"), e.g. "daily_revenue.sql"`,
        'SavedQueries dev/saved: statements.day.file is "no_parameter.sql", which has no ? parameter; write a ? for each value EXECUTE passes (USING ...), or save it under governance.queries',
      ]);
      expect(stack.node.findAll().filter((c) => c instanceof AthenaNamedQuery || c instanceof AthenaPreparedStatement)).toEqual([]);
    });

    it('names the default folder and lists its files when a file is missing', () => {
      const { create } = build({ queries: { 'top-products': { file: 'top_product.sql', database: 'curated', personas: ['analysts'] } }, statements: {} });
      expect(errorOf(create).message).toBe(
        'SavedQueries dev/saved: queries.top-products.file is "top_product.sql", which is not in packages/governance/queries '
          + '(files: churn_scores.sql, clickstream_funnel.sql, daily_revenue.sql, revenue_by_country.sql, revenue_for_day.sql, top_products.sql); add the file there or fix the name',
      );
    });

    it('rejects a query longer than Athena takes', () => {
      const dir = folder({ 'long.sql': `SELECT '${'x'.repeat(ATHENA_QUERY_MAX_LENGTH)}'` });
      const { create } = build({ dir, queries: { long: { file: 'long.sql', database: 'raw', personas: ['analysts'] } }, statements: {} });
      expect(problemsOf(create)).toEqual([
        `SavedQueries dev/saved: queries.long.file is "long.sql", whose query has ${ATHENA_QUERY_MAX_LENGTH + 9} characters; Athena takes at most ${ATHENA_QUERY_MAX_LENGTH}`,
      ]);
    });

    it('lists no files when the folder does not exist', () => {
      const dir = join(tmpdir(), 'no-such-queries-folder');
      const { create } = build({ dir, queries: { one: { file: 'one.sql', database: 'raw', personas: ['analysts'] } }, statements: {} });
      expect(problemsOf(create)).toEqual([
        `SavedQueries dev/saved: queries.one.file is "one.sql", which is not in ${dir} (files: none); add the file there or fix the name`,
      ]);
    });
  });

  describe('policy pack', () => {
    const ALL_QUERIES: Record<string, SavedQueryConfig> = {
      ...QUERIES,
      'revenue-by-country': { file: 'revenue_by_country.sql', database: 'curated', personas: ['analysts'] },
      'top-products': { file: 'top_products.sql', database: 'curated', personas: ['analysts'] },
      'churn-scores': { file: 'churn_scores.sql', database: 'curated', personas: ['data-engineers'] },
    };

    it('passes in layered stacks, the databases read across stacks', () => {
      const { lakeStack, lake, stack } = layeredStacks(env(), 'governance', { aspects: [new PolicyPack()] });
      const workgroups = workgroupsIn(stack, lake, ['analysts', 'data-engineers']);
      const saved = new SavedQueries(stack, 'saved', { lake, workgroups, queries: ALL_QUERIES, statements: STATEMENTS });
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      expect(resource(tf, 'aws_athena_named_query', saved.namedQueries['daily-revenue'].analysts.friendlyUniqueId).database)
        .toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-lake\.outputs\.cross-stack-output-[\w.-]+\}$/);
      expect(Object.keys(tf.resource?.aws_athena_named_query ?? {})).toHaveLength(6);
    });

    it('passes with the rest of the Athena side of the layer in a protected environment: managed tables, catalog encryption and grants', () => {
      const tables = { daily_revenue: { zone: 'curated' as const, prefix: 'daily_revenue/', columns: [{ name: 'order_date', type: 'date' }] } };
      const prod = env({ name: 'prod', stage: 'production', protect: true, lake: { tables } });
      const { lakeStack, lake, stack } = layeredStacks(prod, 'governance', { aspects: [new PolicyPack()] });
      const workgroups = workgroupsIn(stack, lake, ['analysts', 'data-engineers']);
      new SavedQueries(stack, 'saved', { lake, workgroups, queries: ALL_QUERIES, statements: STATEMENTS });
      new CatalogEncryption(stack, 'catalog-encryption', { lake });
      for (const node of stack.node.findAll()) if (node instanceof PersonaWorkgroup) lake.grantCatalog(node.role, 'read');
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      expect(Object.values(tf.resource?.aws_iam_role_policy ?? {}).map((p) => p.name).filter((n) => String(n).includes('catalog'))).toEqual([
        'adp-prod-lake-catalog-read',
        'adp-prod-lake-catalog-read',
      ]);
    });

    it('passes in the single stack of the offline environment', () => {
      const { stack, lake } = stackWithLake(env({ name: 'local', offline: true, layout: 'single', account: '000000000000', protect: false }), { aspects: [new PolicyPack()] });
      const workgroups = workgroupsIn(stack, lake, ['analysts', 'data-engineers']);
      new SavedQueries(stack, 'saved', { lake, workgroups, queries: ALL_QUERIES, statements: STATEMENTS });
      expect(() => synthesize(stack)).not.toThrow();
    });
  });
});
