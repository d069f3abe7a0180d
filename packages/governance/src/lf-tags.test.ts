import { TerraformVariable } from 'cdktf';
import { EnvironmentConfig, LF_TAG_KEY_RE, problemsOf, synthesize, synthesizedResource as resource, SynthesizedStack } from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { Construct } from 'constructs';
import { LakeFormationSettings } from './lake-formation-settings';
import { LF_TAG_MAX_KEY_LENGTH, LF_TAG_MAX_VALUES, LfTags, LfTagsProps } from './lf-tags';
import { DEV_TAGS, OFFLINE, REMOTE, catalogTable, databaseName, devEnvironment as env, governanceStacks } from './lf-test-support';

const TABLE = '${aws_glue_catalog_table.lake_customer_features_table';
const tagKey = (key: string) => `\${aws_lakeformation_lf_tag.governance_${key}_lf_tag.key}`;
/** The address of the Lake Formation settings, which the tags depend on in the same stack. */
const SETTINGS = 'aws_lakeformation_data_lake_settings.governance_lake_settings';

/** The account's Lake Formation settings in `scope`, administered by a role of the scope's account. */
const lakeSettings = (scope: Construct, account = '111111111111') =>
  new LakeFormationSettings(scope, 'settings', { administrators: [`arn:aws:iam::${account}:role/data-platform-admin`] });

/** The lake, the settings, the table customer_features and the LF-tags of environments/dev.yaml in one stack `dev`. */
function build(props: Partial<LfTagsProps> = {}, environment: EnvironmentConfig = env()) {
  const { stack, lake } = stackWithLake(environment);
  const table = catalogTable(stack, lake, 'customer_features');
  const tags = new LfTags(stack, 'tags', {
    tags: DEV_TAGS,
    settings: lakeSettings(stack, environment.account),
    databases: [
      { database: lake.databases.raw, tags: { domain: 'sales', sensitivity: 'pii' } },
      { database: lake.databases.processed, tags: { domain: 'sales', sensitivity: 'internal' } },
      { database: lake.databases.curated, tags: { domain: 'sales', sensitivity: 'internal' } },
    ],
    tables: [{ table, tags: { domain: 'customer' }, columns: { customer_id: { sensitivity: 'pii' } } }],
    ...props,
  });
  return { stack, lake, table, tags };
}

const synth = (props?: Partial<LfTagsProps>, environment?: EnvironmentConfig) => {
  const built = build(props, environment);
  return { ...built, ...synthesize(built.stack) };
};

const assignmentsOf = (tf: SynthesizedStack, tags: LfTags) =>
  tags.assignments.map((a) => resource(tf, 'aws_lakeformation_resource_lf_tags', a.friendlyUniqueId));

describe('LfTags', () => {
  it('documents its limits as constants', () => {
    expect(LF_TAG_MAX_VALUES).toBe(1000);
    expect(LF_TAG_MAX_KEY_LENGTH).toBe(46);
  });

  it('creates one LF-tag per key with its values, after the Lake Formation settings, at pinned stateful addresses', () => {
    const { tf, stack, tags } = synth();
    expect(tf.resource?.aws_lakeformation_lf_tag).toEqual({
      governance_domain_lf_tag: { key: 'domain', values: ['sales', 'customer'], depends_on: [SETTINGS], lifecycle: { prevent_destroy: true } },
      governance_sensitivity_lf_tag: { key: 'sensitivity', values: ['public', 'internal', 'pii'], depends_on: [SETTINGS], lifecycle: { prevent_destroy: true } },
    });
    expect([...stack.statefulAddresses].filter((a) => a.startsWith('aws_lakeformation'))).toEqual([
      'aws_lakeformation_lf_tag.governance_domain_lf_tag',
      'aws_lakeformation_lf_tag.governance_sensitivity_lf_tag',
    ]);
    expect(Object.keys(tags.tags)).toEqual(['domain', 'sensitivity']);
    expect(tags.declared).toEqual(DEV_TAGS);
  });

  it('sets no prevent_destroy on the LF-tags of an unprotected environment', () => {
    const { tf } = synth({}, env({ protect: false }));
    expect(resource(tf, 'aws_lakeformation_lf_tag', 'governance_domain_lf_tag')).toEqual({ key: 'domain', values: ['sales', 'customer'], depends_on: [SETTINGS] });
  });

  it('assigns each database its tags, one value per key, after the tags exist', () => {
    const { tf, tags } = synth();
    expect(assignmentsOf(tf, tags).slice(0, 3)).toEqual([
      { database: { name: databaseName('raw') }, lf_tag: [{ key: tagKey('domain'), value: 'sales' }, { key: tagKey('sensitivity'), value: 'pii' }] },
      { database: { name: databaseName('processed') }, lf_tag: [{ key: tagKey('domain'), value: 'sales' }, { key: tagKey('sensitivity'), value: 'internal' }] },
      { database: { name: databaseName('curated') }, lf_tag: [{ key: tagKey('domain'), value: 'sales' }, { key: tagKey('sensitivity'), value: 'internal' }] },
    ]);
  });

  it('assigns a table its own tags and each tagged column its tags, one column per assignment', () => {
    const { tf, tags } = synth();
    expect(assignmentsOf(tf, tags).slice(3)).toEqual([
      { table: { database_name: `${TABLE}.database_name}`, name: `${TABLE}.name}` }, lf_tag: [{ key: tagKey('domain'), value: 'customer' }] },
      {
        table_with_columns: { database_name: `${TABLE}.database_name}`, name: `${TABLE}.name}`, column_names: ['customer_id'] },
        lf_tag: [{ key: tagKey('sensitivity'), value: 'pii' }],
      },
    ]);
    expect(tf.resource?.aws_lakeformation_resource_lf_tags).toBeDefined();
    expect(Object.keys(tf.resource?.aws_lakeformation_resource_lf_tags ?? {})).toHaveLength(5);
  });

  it('assigns nothing at table level when only columns are tagged', () => {
    const { stack, lake } = stackWithLake(env());
    const table = catalogTable(stack, lake, 'customer_features');
    const tags = new LfTags(stack, 'tags', { tags: DEV_TAGS, settings: lakeSettings(stack), tables: [{ table, columns: { customer_id: { sensitivity: 'pii' }, country: { sensitivity: 'internal' } } }] });
    const { tf } = synthesize(stack);
    expect(assignmentsOf(tf, tags).map((a) => Object.keys(a).sort())).toEqual([['lf_tag', 'table_with_columns'], ['lf_tag', 'table_with_columns']]);
    expect(assignmentsOf(tf, tags).map((a) => (a.table_with_columns as { column_names: string[] }).column_names)).toEqual([['customer_id'], ['country']]);
  });

  it('creates only the tags when nothing is assigned', () => {
    const { stack } = stackWithLake(env());
    const tags = new LfTags(stack, 'tags', { tags: DEV_TAGS, settings: lakeSettings(stack) });
    expect(tags.assignments).toEqual([]);
    expect(synthesize(stack).tf.resource?.aws_lakeformation_resource_lf_tags).toBeUndefined();
  });

  describe('validation', () => {
    it('rejects malformed keys and values, repeated values, tags without values and keys too long for their address', () => {
      const long = `k${'e'.repeat(LF_TAG_MAX_KEY_LENGTH)}`;
      expect(LF_TAG_KEY_RE.test(long)).toBe(true);
      const { stack } = stackWithLake(env());
      expect(problemsOf(() => new LfTags(stack, 'tags', { settings: lakeSettings(stack), tags: { Domain: ['sales'], sensitivity: ['PII', 'internal', 'internal'], owner: [], [long]: ['x'] } }))).toEqual([
        'LfTags dev/tags: tags.Domain has the key "Domain"; use an LF-tag key of lowercase letters, digits, "_" and "-", starting with a letter',
        'LfTags dev/tags: tags.sensitivity[0] is "PII"; use an LF-tag value of lowercase letters, digits, "_", "." and "-"',
        'LfTags dev/tags: tags.sensitivity[2] is "internal" again; list each value once',
        'LfTags dev/tags: tags.owner has no values; list at least one (e.g. [public, internal, pii])',
        `LfTags dev/tags: tags.${long} has a key of 47 characters; use at most 46, so its Terraform address governance_<key>_lf_tag has at most 64`,
      ]);
    });

    it('rejects more values than Lake Formation allows per tag', () => {
      const { stack } = stackWithLake(env());
      const values = Array.from({ length: LF_TAG_MAX_VALUES + 1 }, (_, i) => `v${i}`);
      expect(problemsOf(() => new LfTags(stack, 'tags', { tags: { code: values }, settings: lakeSettings(stack) }))).toEqual([
        'LfTags dev/tags: tags.code has 1001 values; use at most 1000 (Lake Formation\'s limit per tag)',
      ]);
    });

    it('rejects keys that differ only in "-" and "_", which would share an address', () => {
      const { stack } = stackWithLake(env());
      expect(problemsOf(() => new LfTags(stack, 'tags', { tags: { data_owner: ['a'], 'data-owner': ['b'] }, settings: lakeSettings(stack) }))).toEqual([
        'LfTags dev/tags: tags.data-owner differs from the key data_owner only in "-" and "_", so both would have the address governance_data_owner_lf_tag; rename one of them',
      ]);
    });

    it('rejects assignments of undeclared keys and values', () => {
      const { stack, lake } = stackWithLake(env());
      const table = catalogTable(stack, lake, 'customer_features');
      expect(problemsOf(() => new LfTags(stack, 'tags', {
        tags: DEV_TAGS,
        settings: lakeSettings(stack),
        databases: [{ database: lake.databases.raw, tags: { domain: 'finance', owner: 'ops' } }],
        tables: [{ table, tags: { sensitivity: 'secret' }, columns: { customer_id: { region: 'eu' } } }],
      }))).toEqual([
        'LfTags dev/tags: databases[0].tags.domain is "finance"; use one of the values of the LF-tag domain: sales, customer',
        'LfTags dev/tags: databases[0].tags.owner is not a declared LF-tag (tags: domain, sensitivity); declare it in governance.tags or remove it',
        'LfTags dev/tags: tables[0].tags.sensitivity is "secret"; use one of the values of the LF-tag sensitivity: public, internal, pii',
        'LfTags dev/tags: tables[0].columns.customer_id.region is not a declared LF-tag (tags: domain, sensitivity); declare it in governance.tags or remove it',
      ]);
    });

    it('rejects a database or table tagged twice, empty assignments and malformed column names', () => {
      const { stack, lake } = stackWithLake(env());
      const table = catalogTable(stack, lake, 'customer_features');
      expect(problemsOf(() => new LfTags(stack, 'tags', {
        tags: DEV_TAGS,
        settings: lakeSettings(stack),
        databases: [{ database: lake.databases.raw, tags: { domain: 'sales' } }, { database: lake.databases.raw, tags: {} }],
        tables: [{ table, columns: { 'Customer-Id': { sensitivity: 'pii' }, country: {} } }, { table }],
      }))).toEqual([
        'LfTags dev/tags: databases[1].database is dev/lake/raw-database again (databases[0]); assign all of a database\'s tags at once',
        'LfTags dev/tags: databases[1].tags is empty; assign at least one tag, or leave the database out',
        'LfTags dev/tags: tables[0].columns.Customer-Id is not a column name; use the lowercase name of a column of the table',
        'LfTags dev/tags: tables[0].columns.country is empty; assign at least one tag, or leave the column out',
        'LfTags dev/tags: tables[1].table is dev/table-customer_features again (tables[0]); assign all of a table\'s tags at once',
        'LfTags dev/tags: tables[1] assigns no tags; set tags or columns, or leave the table out',
      ]);
    });

    it('skips values that are still tokens', () => {
      const { stack, lake } = stackWithLake(env());
      const value = new TerraformVariable(stack, 'value', { type: 'string' }).stringValue;
      const tags = new LfTags(stack, 'tags', { tags: { domain: [value] }, settings: lakeSettings(stack), databases: [{ database: lake.databases.raw, tags: { domain: value } }] });
      expect(resource(synthesize(stack).tf, 'aws_lakeformation_resource_lf_tags', tags.assignments[0].friendlyUniqueId).lf_tag).toEqual([{ key: tagKey('domain'), value: '${var.value}' }]);
    });
  });

  describe('policy pack', () => {
    it('passes in the governance stack of a layered build, tagging the lake\'s databases and tables across stacks', () => {
      const { lakeStack, lake, stack } = governanceStacks(env(), { aspects: [new PolicyPack()] });
      const table = catalogTable(lakeStack, lake, 'customer_features');
      const tags = new LfTags(stack, 'tags', {
        tags: DEV_TAGS,
        settings: lakeSettings(lakeStack),
        databases: [{ database: lake.databases.curated, tags: { domain: 'sales', sensitivity: 'internal' } }],
        tables: [{ table, tags: { domain: 'customer' }, columns: { customer_id: { sensitivity: 'pii' } } }],
      });
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      const [database, tableTags, column] = assignmentsOf(tf, tags) as Array<Record<string, Record<string, string>>>;
      expect(database.database.name).toMatch(REMOTE);
      expect(tableTags.table.name).toMatch(REMOTE);
      expect(column.table_with_columns.database_name).toMatch(REMOTE);
      // The settings are in the lake's stack, applied before this one: no dependency across states.
      expect(resource(tf, 'aws_lakeformation_lf_tag', 'governance_domain_lf_tag').depends_on).toEqual([]);
    });

    it('passes in the single stack of the offline environment', () => {
      const { stack: checked, lake } = stackWithLake(env({ ...OFFLINE }), { aspects: [new PolicyPack()] });
      const table = catalogTable(checked, lake, 'customer_features');
      new LfTags(checked, 'tags', {
        tags: DEV_TAGS,
        settings: lakeSettings(checked, '000000000000'),
        databases: [{ database: lake.databases.raw, tags: { domain: 'sales' } }],
        tables: [{ table, tags: { domain: 'customer' } }],
      });
      const { tf } = synthesize(checked);
      expect(resource(tf, 'aws_lakeformation_lf_tag', 'governance_domain_lf_tag').depends_on).toEqual([SETTINGS]);
    });
  });
});
