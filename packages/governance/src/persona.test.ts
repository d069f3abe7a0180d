import { TerraformStack } from 'cdktf';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import {
  EnvironmentConfig,
  GOVERNANCE_DEFAULTS,
  PersonaConfig,
  SynthesizedStack,
  ZONES,
  documentStatements,
  problemsOf,
  ref,
  synthesize,
  synthesizedResource as resource,
} from '@data-platform/core';
import { DataLake, stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { DataFilter } from './data-filter';
import { LakeFormationSettings } from './lake-formation-settings';
import { LakeLocations } from './lake-locations';
import { LfTags } from './lf-tags';
import { PERSONA, PERSONA_DEFAULTS, Persona } from './persona';
import {
  ADMIN_ROLE,
  DEV_GOVERNANCE,
  DEV_TAGS,
  OFFLINE,
  PARTITION,
  PersonaInput,
  REMOTE,
  catalogTable,
  databaseName,
  devEnvironment as env,
  governanceStacks,
  lfGrants,
  personaConfig,
} from './lf-test-support';

const TABLE = '${aws_glue_catalog_table.lake_customer_features_table';
const SETTINGS = 'aws_lakeformation_data_lake_settings.governance_lake_settings';
const TAGS = ['aws_lakeformation_lf_tag.governance_domain_lf_tag', 'aws_lakeformation_lf_tag.governance_sensitivity_lf_tag'];
const EU = "country IN ('DE', 'FR', 'NL', 'ES', 'IT')";

/** The personas of environments/dev.yaml (DEV_GOVERNANCE), but bi, QuickSight's, which is the analysts' grant again. */
const PERSONAS: Record<string, PersonaInput> = Object.fromEntries(Object.entries(DEV_GOVERNANCE.personas ?? {}).filter(([name]) => name !== 'bi'));

/** The lake (and the table customer_features) in `lakeStack`; settings, LF-tags and filters in `stack`. */
function governance(stack: TerraformStack, lakeStack: TerraformStack, lake: DataLake) {
  const table = catalogTable(lakeStack, lake, 'customer_features');
  const settings = new LakeFormationSettings(stack, 'settings', { administrators: [ADMIN_ROLE] });
  const tags = new LfTags(stack, 'tags', { tags: DEV_TAGS, settings });
  const filters = {
    'eu-customers': new DataFilter(stack, 'filter-eu-customers', { name: 'eu-customers', table, settings, rowFilter: EU, columns: ['country', 'tenure_days'] }),
  };
  return { table, settings, tags, filters };
}

/** Everything a persona connects to, and the persona `name` of `config`, in one stack `dev`. */
function build(name: keyof typeof PERSONAS | string, config: PersonaConfig, environment: EnvironmentConfig = env()) {
  const { stack, lake } = stackWithLake(environment);
  const parts = governance(stack, stack, lake);
  const persona = new Persona(stack, `persona-${name}`, { name, config, databases: lake.databases, filters: parts.filters, tags: parts.tags, settings: parts.settings });
  return { stack, lake, ...parts, persona };
}

const synth = (name: keyof typeof PERSONAS) => {
  const built = build(name, personaConfig(PERSONAS[name]));
  return { ...built, ...synthesize(built.stack) };
};

/** The synthesized grants of `persona`, in the order it made them. */
const grantsOf = (tf: SynthesizedStack, persona: Persona) => persona.grants.map((g) => resource(tf, 'aws_lakeformation_permissions', g.friendlyUniqueId));

/** The statements of the persona's inline policy. */
const policyOf = (tf: SynthesizedStack, persona: Persona) => documentStatements(tf, resource(tf, 'aws_iam_role_policy', persona.policy.friendlyUniqueId).policy);

/** The two tag-policy grants of one expression and access level. */
function tagGrants(principal: string, expression: Array<{ key: string; values: string[] }>, database: string[], tables: string[]) {
  return [
    { principal, permissions: database, lf_tag_policy: { resource_type: 'DATABASE', expression }, depends_on: [SETTINGS, ...TAGS] },
    { principal, permissions: tables, lf_tag_policy: { resource_type: 'TABLE', expression }, depends_on: [SETTINGS, ...TAGS] },
  ];
}

const glue = (resource: string) => `arn:${PARTITION}:glue:eu-west-1:111111111111:${resource}`;
const CATALOG_RESOURCES = [
  glue('catalog'),
  ...(['raw', 'processed', 'curated'] as const).map((zone) => glue(`database/${databaseName(zone)}`)),
  ...(['raw', 'processed', 'curated'] as const).map((zone) => glue(`table/${databaseName(zone)}/*`)),
];

describe('Persona', () => {
  it('documents its permission model and defaults as constants', () => {
    expect(PERSONA).toEqual({
      databasePermissions: { describe: ['DESCRIBE'], read: ['DESCRIBE'], write: ['DESCRIBE', 'CREATE_TABLE'] },
      tablePermissions: { describe: ['DESCRIBE'], read: ['SELECT', 'DESCRIBE'], write: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER', 'DROP'] },
      filterPermissions: ['SELECT'],
      filterDatabasePermissions: ['DESCRIBE'],
      locationPermissions: ['DATA_LOCATION_ACCESS'],
      readCatalogActions: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
      writeCatalogActions: [
        'glue:CreateTable', 'glue:UpdateTable', 'glue:DeleteTable',
        'glue:CreatePartition', 'glue:BatchCreatePartition', 'glue:UpdatePartition', 'glue:DeletePartition', 'glue:BatchDeletePartition',
      ],
      dataAccessAction: 'lakeformation:GetDataAccess',
    });
    expect(PERSONA_DEFAULTS).toEqual({ filters: {} });
    expect(personaConfig({ description: 'x' })).toEqual({ description: 'x', assumedBy: ['account'], grants: [], filters: [], bytesScannedCutoffMb: 1024 });
    expect(GOVERNANCE_DEFAULTS.assumedBy).toEqual(['account']);
  });

  describe('role', () => {
    it('is named after the persona and described by it', () => {
      const { tf, persona } = synth('analysts');
      expect(resource(tf, 'aws_iam_role', persona.role.friendlyUniqueId)).toMatchObject({
        name: 'adp-dev-governance-analysts-persona',
        description: 'Business analysts; query sales data, never personal data.',
      });
      expect(persona.name).toBe('analysts');
    });

    it('is assumed through IAM in this account by default: the account root, delegating to IAM policies', () => {
      const { tf, persona } = synth('analysts');
      expect(documentStatements(tf, resource(tf, 'aws_iam_role', persona.role.friendlyUniqueId).assume_role_policy)).toEqual([
        { sid: 'AssumeThroughIam', effect: 'Allow', principals: [{ type: 'AWS', identifiers: [`arn:${PARTITION}:iam::111111111111:root`] }], actions: ['sts:AssumeRole'] },
      ]);
    });

    it('is assumed by a service on behalf of this account only', () => {
      const { tf, persona } = synth('data-scientists');
      expect(documentStatements(tf, resource(tf, 'aws_iam_role', persona.role.friendlyUniqueId).assume_role_policy)).toEqual([{
        sid: 'AssumeAsService',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['sagemaker.amazonaws.com'] }],
        actions: ['sts:AssumeRole'],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
      }]);
    });

    it('trusts IAM principals in one statement and services in another', () => {
      const config = personaConfig({
        description: 'BI and its authors',
        assumedBy: ['account', 'arn:aws:iam::111111111111:role/bi-author', 'arn:aws:iam::111111111111:user/alice', 'quicksight.amazonaws.com', 'sagemaker.amazonaws.com'],
      });
      const { stack, persona } = build('bi', config);
      const { tf } = synthesize(stack);
      expect(documentStatements(tf, resource(tf, 'aws_iam_role', persona.role.friendlyUniqueId).assume_role_policy)).toEqual([
        {
          sid: 'AssumeThroughIam',
          effect: 'Allow',
          principals: [{ type: 'AWS', identifiers: [`arn:${PARTITION}:iam::111111111111:root`, 'arn:aws:iam::111111111111:role/bi-author', 'arn:aws:iam::111111111111:user/alice'] }],
          actions: ['sts:AssumeRole'],
        },
        {
          sid: 'AssumeAsService',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['quicksight.amazonaws.com', 'sagemaker.amazonaws.com'] }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
        },
      ]);
    });
  });

  describe('IAM policy', () => {
    it('lets a reader read the catalog metadata of the zone databases and get Lake Formation\'s credentials, nothing more', () => {
      const { tf, persona } = synth('analysts');
      expect(resource(tf, 'aws_iam_role_policy', persona.policy.friendlyUniqueId)).toMatchObject({ name: 'catalog', role: ref(persona.role, 'name') });
      expect(policyOf(tf, persona)).toEqual([
        { sid: 'ReadCatalog', effect: 'Allow', actions: [...PERSONA.readCatalogActions], resources: CATALOG_RESOURCES },
        { sid: 'GetLakeFormationCredentials', effect: 'Allow', actions: ['lakeformation:GetDataAccess'], resources: ['*'] },
      ]);
    });

    it('lets a persona with a write grant also create, change and drop tables and partitions', () => {
      const { tf, persona } = synth('data-engineers');
      expect(policyOf(tf, persona)).toEqual([
        { sid: 'ReadCatalog', effect: 'Allow', actions: [...PERSONA.readCatalogActions], resources: CATALOG_RESOURCES },
        { sid: 'WriteTables', effect: 'Allow', actions: [...PERSONA.writeCatalogActions], resources: CATALOG_RESOURCES },
        { sid: 'GetLakeFormationCredentials', effect: 'Allow', actions: ['lakeformation:GetDataAccess'], resources: ['*'] },
      ]);
    });

    it('grants no S3 permission: data comes only through Lake Formation\'s credentials', () => {
      const { tf } = synth('data-engineers');
      const actions = Object.values(tf.resource?.aws_iam_role_policy ?? {}).flatMap((p) => documentStatements(tf, p.policy).flatMap((s) => s.actions));
      expect(actions.filter((a) => a.startsWith('s3:') || a.startsWith('kms:'))).toEqual([]);
    });
  });

  describe('Lake Formation grants', () => {
    it('grants a reader DESCRIBE on the databases and SELECT and DESCRIBE on the tables its tag expression matches, after settings and tags', () => {
      const { tf, persona } = synth('analysts');
      const expression = [{ key: 'domain', values: ['sales'] }, { key: 'sensitivity', values: ['public', 'internal'] }];
      expect(grantsOf(tf, persona)).toEqual(tagGrants(ref(persona.role, 'arn'), expression, ['DESCRIBE'], ['SELECT', 'DESCRIBE']));
      expect(Object.values(lfGrants(tf))).toHaveLength(2);
    });

    it('grants a writer CREATE_TABLE on the databases and SELECT, INSERT, DELETE, DESCRIBE, ALTER and DROP on the tables', () => {
      const { tf, persona } = synth('data-engineers');
      const expression = [{ key: 'domain', values: ['sales', 'customer'] }, { key: 'sensitivity', values: ['public', 'internal', 'pii'] }];
      expect(grantsOf(tf, persona)).toEqual(tagGrants(ref(persona.role, 'arn'), expression, ['DESCRIBE', 'CREATE_TABLE'], ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER', 'DROP']));
      expect(Object.values(lfGrants(tf))).toHaveLength(2);
    });

    it('grants a writer DATA_LOCATION_ACCESS on every registered zone location when given the locations, a reader none', () => {
      for (const [name, expected] of [['data-engineers', 3], ['analysts', 0]] as const) {
        const { stack, lake } = stackWithLake(env());
        const parts = governance(stack, stack, lake);
        const locations = new LakeLocations(stack, 'locations', { lake, settings: parts.settings });
        const persona = new Persona(stack, `persona-${name}`, { name, config: personaConfig(PERSONAS[name]), databases: lake.databases, filters: parts.filters, tags: parts.tags, settings: parts.settings, locations });
        const { tf } = synthesize(stack);
        const located = grantsOf(tf, persona).filter((g) => g.data_location !== undefined);
        expect(located).toEqual(ZONES.slice(0, expected).map((zone) => ({
          principal: ref(persona.role, 'arn'),
          permissions: ['DATA_LOCATION_ACCESS'],
          data_location: { arn: `\${aws_s3_bucket.lake_${zone}_bucket.arn}` },
          depends_on: [SETTINGS, `aws_lakeformation_resource.governance_${zone}_location`],
        })));
      }
    });

    it('grants a describer DESCRIBE only, on databases and tables', () => {
      const { tf, persona } = synth('auditors');
      const expression = [{ key: 'domain', values: ['sales', 'customer'] }, { key: 'sensitivity', values: ['public', 'internal', 'pii'] }];
      expect(grantsOf(tf, persona)).toEqual(tagGrants(ref(persona.role, 'arn'), expression, ['DESCRIBE'], ['DESCRIBE']));
    });

    it('grants SELECT on each of its filters and DESCRIBE on the database of the filtered table', () => {
      const { tf, persona } = synth('marketing');
      const principal = ref(persona.role, 'arn');
      expect(grantsOf(tf, persona)).toEqual([
        {
          principal,
          permissions: ['SELECT'],
          data_cells_filter: { database_name: `${TABLE}.database_name}`, table_name: `${TABLE}.name}`, table_catalog_id: '111111111111', name: 'adp-dev-governance-eu-customers' },
          depends_on: [SETTINGS, 'aws_lakeformation_data_cells_filter.governance_eu_customers_filter'],
        },
        { principal, permissions: ['DESCRIBE'], database: { name: databaseName('curated') }, depends_on: [SETTINGS] },
      ]);
      expect(Object.values(lfGrants(tf))).toHaveLength(2);
    });

    it('describes each filtered zone database once, however many of its tables are filtered', () => {
      const { stack, lake } = stackWithLake(env());
      const { settings, tags, filters, table } = governance(stack, stack, lake);
      const clicks = catalogTable(stack, lake, 'clicks', 'processed', ['country']);
      const all = {
        ...filters,
        'eu-all': new DataFilter(stack, 'filter-eu-all', { name: 'eu-all', table, settings, rowFilter: 'TRUE' }),
        'eu-clicks': new DataFilter(stack, 'filter-eu-clicks', { name: 'eu-clicks', table: clicks, settings, rowFilter: EU }),
      };
      const config = personaConfig({ description: 'EU', filters: ['eu-customers', 'eu-all', 'eu-clicks'] });
      const persona = new Persona(stack, 'persona', { name: 'eu', config, databases: lake.databases, filters: all, tags, settings });
      const grants = grantsOf(synthesize(stack).tf, persona);
      expect(grants.map((g) => g.data_cells_filter ?? g.database)).toEqual([
        expect.objectContaining({ name: 'adp-dev-governance-eu-customers' }),
        expect.objectContaining({ name: 'adp-dev-governance-eu-all' }),
        expect.objectContaining({ name: 'adp-dev-governance-eu-clicks' }),
        { name: databaseName('processed') },
        { name: databaseName('curated') },
      ]);
    });

    it('never grants ALL or a grant option, and only to its own role', () => {
      const { stack, lake } = stackWithLake(env());
      const { settings, tags, filters } = governance(stack, stack, lake);
      const personas = Object.entries(PERSONAS).map(([name, input]) =>
        new Persona(stack, `persona-${name}`, { name, config: personaConfig(input), databases: lake.databases, filters, tags, settings }));
      const { tf } = synthesize(stack);
      const roles = personas.map((p) => ref(p.role, 'arn'));
      const grants = Object.values(lfGrants(tf));
      expect(grants).toHaveLength(personas.reduce((n, p) => n + p.grants.length, 0));
      for (const grant of grants) {
        expect(roles).toContain(grant.principal);
        expect(grant.permissions).not.toContain('ALL');
        expect(grant).not.toHaveProperty('permissions_with_grant_option');
        expect(grant).not.toHaveProperty('catalog_resource');
      }
    });

    it('keys grants by their tag expression, so reordering grants or their keys and values moves none', () => {
      type Grant = NonNullable<PersonaInput['grants']>[number];
      const a: Grant = { tags: { domain: ['sales'] }, access: 'read' };
      const b: Grant = { tags: { sensitivity: ['public', 'internal'], domain: ['customer', 'sales'] }, access: 'describe' };
      const ids = (grants: PersonaInput['grants']) => build('sample', personaConfig({ description: 'sample', grants })).persona.grants.map((g) => g.node.id).sort();
      expect(ids([a, b])).toEqual(ids([b, a]));
      expect(ids([a, { ...b, tags: { domain: ['sales', 'customer'], sensitivity: ['internal', 'public'] } }])).toEqual(ids([a, b]));
      expect(ids([a, b])).toHaveLength(4);
    });

    it('grants nothing in Lake Formation to a persona without grants or filters', () => {
      const { stack, persona } = build('empty', personaConfig({ description: 'nothing yet' }));
      expect(persona.grants).toEqual([]);
      expect(synthesize(stack).tf.resource?.aws_lakeformation_permissions).toBeUndefined();
    });
  });

  describe('validation', () => {
    it('rejects grants of undeclared tags and values, an empty expression and a repeated expression', () => {
      const config = personaConfig({ description: 'x', grants: [{ tags: { domain: ['sales'] } }] });
      const grants = [
        { tags: { domain: ['finance'], owner: ['ops'] }, access: 'read' },
        { tags: {}, access: 'read' },
        { tags: { domain: ['sales'] }, access: 'read' },
        { tags: { domain: ['sales'] }, access: 'write' },
        { tags: { domain: [] }, access: 'admin' },
      ] as unknown as PersonaConfig['grants'];
      expect(problemsOf(() => build('sample', { ...config, grants }))).toEqual([
        'Persona dev/persona-sample: config.grants[0].tags.domain[0] is "finance"; use one of the values of the LF-tag domain: sales, customer',
        'Persona dev/persona-sample: config.grants[0].tags.owner is not a declared LF-tag (tags: domain, sensitivity); declare it in governance.tags or remove it',
        'Persona dev/persona-sample: config.grants[1].tags is empty; list at least one tag key with its values, e.g. { domain: [sales] }',
        'Persona dev/persona-sample: config.grants[3].tags is the expression of config.grants[2] again; merge them into one grant with the broader access',
        'Persona dev/persona-sample: config.grants[4].access is "admin"; use one of describe, read, write',
        'Persona dev/persona-sample: config.grants[4].tags.domain has no values; list at least one',
      ]);
    });

    it('rejects filters not passed, repeated filters and filters of a table outside the zone databases', () => {
      const { stack, lake } = stackWithLake(env());
      const { settings, tags, filters } = governance(stack, stack, lake);
      const other = new GlueCatalogDatabase(stack, 'scratch', { name: 'scratch' });
      const scratch = catalogTable(stack, lake, 'scratch_customers');
      scratch.databaseName = other.name;
      const all = { ...filters, scratch: new DataFilter(stack, 'filter-scratch', { name: 'scratch', table: scratch, settings, rowFilter: 'TRUE' }) };
      const config = personaConfig({ description: 'x', filters: ['eu-customers', 'us-customers', 'eu-customers', 'scratch'] });
      expect(problemsOf(() => new Persona(stack, 'persona', { name: 'sample', config, databases: lake.databases, filters: all, tags, settings }))).toEqual([
        'Persona dev/persona: config.filters[1] is "us-customers", which is not among the filters passed (eu-customers, scratch); declare it in governance.filters and pass its DataFilter in filters',
        'Persona dev/persona: config.filters[2] is "eu-customers" again; list each filter once',
        'Persona dev/persona: config.filters[3] filters the table dev/table-scratch_customers, which is in none of the zone databases passed as databases; filter a table of the lake',
      ]);
    });

    it('rejects principals of another account, unknown principals and repeated ones, and a malformed name', () => {
      const config = personaConfig({ description: 'x' });
      const assumedBy = ['arn:aws:iam::222222222222:role/analyst', 'glue.amazonaws.com', 'account', 'account'];
      expect(problemsOf(() => build('X', { ...config, assumedBy }))).toEqual([
        'Persona dev/persona-X: name is "X"; use 2-40 lowercase letters and digits, words joined by "-", starting with a letter (e.g. "clickstream")',
        'Persona dev/persona-X: config.assumedBy[0] is "arn:aws:iam::222222222222:role/analyst", a principal of account 222222222222; use a role or user of this account, 111111111111 (share data with another account through governance.sharing)',
        'Persona dev/persona-X: config.assumedBy[1] is "glue.amazonaws.com"; use "account" (IAM in this account decides), an IAM role or user ARN, or a service (quicksight.amazonaws.com, sagemaker.amazonaws.com)',
        'Persona dev/persona-X: config.assumedBy[3] is "account" again; list each principal once',
      ]);
      expect(problemsOf(() => build('sample', { ...config, assumedBy: [] }))).toEqual([
        'Persona dev/persona-sample: config.assumedBy is empty; list at least one principal, e.g. account',
      ]);
    });
  });

  describe('policy pack', () => {
    it('passes in the governance stack of a layered build, every persona of environments/dev.yaml', () => {
      const { lakeStack, lake, stack } = governanceStacks(env(), { aspects: [new PolicyPack()] });
      const { settings, tags, filters } = governance(stack, lakeStack, lake);
      const personas = Object.entries(PERSONAS).map(([name, input]) =>
        new Persona(stack, `persona-${name}`, { name, config: personaConfig(input), databases: lake.databases, filters, tags, settings }));
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      const marketing = grantsOf(tf, personas[2]);
      expect((marketing[0].data_cells_filter as Record<string, string>).database_name).toMatch(REMOTE);
      expect((marketing[1].database as Record<string, string>).name).toMatch(REMOTE);
    });

    it('passes in the single stack of the offline environment', () => {
      const { stack, lake } = stackWithLake(env({ ...OFFLINE }), { aspects: [new PolicyPack()] });
      const table = catalogTable(stack, lake, 'customer_features');
      const settings = new LakeFormationSettings(stack, 'settings', { administrators: ['arn:aws:iam::000000000000:role/lake-admin'] });
      const tags = new LfTags(stack, 'tags', { tags: DEV_TAGS, settings });
      const filters = { 'eu-customers': new DataFilter(stack, 'filter', { name: 'eu-customers', table, settings, rowFilter: EU }) };
      for (const [name, input] of Object.entries(PERSONAS)) {
        new Persona(stack, `persona-${name}`, { name, config: personaConfig(input), databases: lake.databases, filters, tags, settings });
      }
      expect(() => synthesize(stack)).not.toThrow();
    });
  });
});
