import { ATHENA_MIN_CUTOFF_MB, GOVERNANCE_DEFAULTS } from './governance';
import { parseEnvironment } from './loader';
import { TEST_FILE, lines, problemsIn } from './test-support';

const FILE = TEST_FILE;
const BASE = 'name: dev\naccount: "111111111111"\nregion: eu-west-1\noffline: true\nlayout: single\n';
/** Two curated tables: daily_revenue (partitioned by order_month) and customers. */
const LAKE = `lake:
  tables:
    daily_revenue:
      zone: curated
      prefix: daily_revenue/
      columns: [{ name: order_date, type: date }, { name: revenue, type: "decimal(18,2)" }]
      partitionKeys: [{ name: order_month, type: string }]
    customers:
      zone: curated
      prefix: customers/
      columns: [{ name: customer_id, type: bigint }, { name: country, type: string }, { name: email, type: string }]
`;
/** The start of a governance section declaring three LF-tags; a case appends the rest, indented by 2. */
const GOVERNANCE = 'governance:\n  administrators: [arn:aws:iam::111111111111:role/lake-admin]\n  tags:\n    domain: [sales, customer]\n    sensitivity: [public, internal, pii]\n    region: [eu, us]\n';

/** The problems of a file with LAKE and GOVERNANCE followed by `governance` (lines under governance:). */
const problemsOf = (governance: string): string[] => problemsIn(`${BASE}${LAKE}${GOVERNANCE}${governance}`);

describe('the governance section', () => {
  test('needs an administrator when the file has no deploy role to make one', () => {
    expect(problemsIn(`${BASE}governance:\n  tags: { domain: [sales] }\n`)).toEqual(lines(
      'governance.administrators lists no role and the file has no deployRole to make the Lake Formation administrator; add a role ARN of this account (e.g. the role your plans run as)',
    ));
  });

  test('is unset unless written', () => {
    expect(parseEnvironment(BASE, FILE).governance).toBeUndefined();
  });

  test('documents its defaults', () => {
    expect(GOVERNANCE_DEFAULTS).toEqual({ hybridAccess: false, assumedBy: ['account'], access: 'read', bytesScannedCutoffMb: 1024 });
    expect(ATHENA_MIN_CUTOFF_MB).toBe(10);
  });

  test('fills every default of GOVERNANCE_DEFAULTS into a section of one persona with one grant', () => {
    const env = parseEnvironment(`${BASE}${LAKE}${GOVERNANCE}  personas:\n    analysts:\n      description: Analysts.\n      grants: [{ tags: { domain: [sales] } }]\n`, FILE);
    expect(env.governance).toEqual({
      administrators: ['arn:aws:iam::111111111111:role/lake-admin'],
      hybridAccess: GOVERNANCE_DEFAULTS.hybridAccess,
      tags: { domain: ['sales', 'customer'], sensitivity: ['public', 'internal', 'pii'], region: ['eu', 'us'] },
      databases: {},
      tables: {},
      personas: {
        analysts: {
          description: 'Analysts.',
          assumedBy: [...GOVERNANCE_DEFAULTS.assumedBy],
          grants: [{ tags: { domain: ['sales'] }, access: GOVERNANCE_DEFAULTS.access }],
          filters: [],
          bytesScannedCutoffMb: GOVERNANCE_DEFAULTS.bytesScannedCutoffMb,
        },
      },
      filters: {},
      queries: {},
      statements: {},
      sharing: {},
    });
  });

  test("rejects a bytes-scanned cutoff of 5 MB, below Athena's smallest", () => {
    expect(problemsOf('  personas:\n    analysts: { description: Analysts., bytesScannedCutoffMb: 5 }\n')).toEqual(
      lines(`governance.personas.analysts.bytesScannedCutoffMb is 5; use ${ATHENA_MIN_CUTOFF_MB} or more: Athena's smallest per-query cutoff is ${ATHENA_MIN_CUTOFF_MB} MB`),
    );
  });

  test('rejects an empty persona description and an empty row filter, saying what to write', () => {
    const body = '  personas:\n    analysts: { description: "" }\n  filters:\n    eu: { table: curated.customers, rowFilter: "" }\n';
    expect(problemsOf(body)).toEqual(
      lines(
        'governance.personas.analysts.description is ""; say who this persona is (shown on its role)',
        'governance.filters.eu.rowFilter is ""; write a SQL WHERE expression, or TRUE for every row',
      ),
    );
  });

  test('rejects a Lake Formation administrator of another account', () => {
    const body = `${BASE}${LAKE}governance:\n  administrators:\n    - arn:aws:iam::111111111111:role/lake-admin\n    - arn:aws:iam::222222222222:role/lake-admin\n`;
    expect(problemsIn(body)).toEqual(
      lines(
        "governance.administrators.1 is in account 222222222222, not this environment's account 111111111111; use a role of account 111111111111 (Lake Formation administrators are principals of its own account)",
      ),
    );
  });

  describe('tag assignments', () => {
    test('rejects a database tag that is not declared and a value the tag does not allow, naming the allowed ones', () => {
      expect(problemsOf('  databases:\n    raw: { sensitivity: secret }\n    curated: { domain: sales, owner: finance }\n')).toEqual(
        lines(
          'governance.databases.raw.sensitivity is "secret", which is not a value of governance.tags.sensitivity (public, internal, pii); use one of them, or add it there',
          'governance.databases.curated.owner is "finance", but owner is not in governance.tags (domain, sensitivity, region); declare the tag there with its allowed values',
        ),
      );
    });

    test('rejects tags of a table and of its columns that are not declared or not allowed', () => {
      const body = '  tables:\n    curated.customers:\n      tags: { domain: customers }\n      columns:\n        email: { sensitivity: secret, owner: crm }\n';
      expect(problemsOf(body)).toEqual(
        lines(
          'governance.tables.curated.customers.tags.domain is "customers", which is not a value of governance.tags.domain (sales, customer); use one of them, or add it there',
          'governance.tables.curated.customers.columns.email.sensitivity is "secret", which is not a value of governance.tags.sensitivity (public, internal, pii); use one of them, or add it there',
          'governance.tables.curated.customers.columns.email.owner is "crm", but owner is not in governance.tags (domain, sensitivity, region); declare the tag there with its allowed values',
        ),
      );
    });

    test('lists none declared when the section declares no tags', () => {
      expect(problemsIn(`${BASE}${LAKE}governance:\n  administrators: [arn:aws:iam::111111111111:role/lake-admin]\n  databases:\n    curated: { domain: sales }\n`)).toEqual(
        lines('governance.databases.curated.domain is "sales", but domain is not in governance.tags (none declared); declare the tag there with its allowed values'),
      );
    });

    test('reports a tag value that is malformed once, by the schema', () => {
      expect(problemsOf('  databases:\n    curated: { domain: Sales }\n')).toEqual(
        lines('governance.databases.curated.domain is "Sales"; use an LF-tag value of lowercase letters, digits, "_", "." and "-"'),
      );
    });
  });

  describe('tables', () => {
    test('rejects tagging a table that is not in lake.tables, listing those that are', () => {
      expect(problemsOf('  tables:\n    curated.orders: { tags: { domain: sales } }\n')).toEqual(
        lines('governance.tables.curated.orders is not in lake.tables (daily_revenue, customers); declare the table there, or tag a declared one'),
      );
    });

    test('rejects a table named in the wrong zone, giving the key to use', () => {
      expect(problemsOf('  tables:\n    raw.daily_revenue: { tags: { domain: sales } }\n')).toEqual(
        lines('governance.tables.raw.daily_revenue is in the raw zone, but lake.tables.daily_revenue is in the curated zone; use the key "curated.daily_revenue"'),
      );
    });

    test('rejects tagging a column the table does not have, and accepts a partition key', () => {
      const body = '  tables:\n    curated.daily_revenue:\n      columns:\n        order_month: { sensitivity: internal }\n        margin: { sensitivity: internal }\n';
      expect(problemsOf(body)).toEqual(
        lines('governance.tables.curated.daily_revenue.columns.margin is not a column of lake.tables.daily_revenue (order_date, revenue, order_month); use one of its columns or partition keys'),
      );
    });
  });

  describe('personas', () => {
    test('rejects grant tags that are not declared and values the tag does not allow, at their position', () => {
      const body = '  personas:\n    analysts:\n      description: Analysts.\n      grants:\n        - { tags: { domain: [sales, finance] } }\n        - { tags: { owner: [bi] }, access: describe }\n';
      expect(problemsOf(body)).toEqual(
        lines(
          'governance.personas.analysts.grants.0.tags.domain.1 is "finance", which is not a value of governance.tags.domain (sales, customer); use one of them, or add it there',
          'governance.personas.analysts.grants.1.tags.owner is ["bi"], but owner is not in governance.tags (domain, sensitivity, region); declare the tag there with its allowed values',
        ),
      );
    });

    test('rejects a filter that is not in governance.filters', () => {
      const body = '  personas:\n    marketing: { description: Marketing., filters: [eu-customers] }\n  filters:\n    eu: { table: curated.customers, rowFilter: "country = \'DE\'" }\n';
      expect(problemsOf(body)).toEqual(lines('governance.personas.marketing.filters.0 is "eu-customers", which is not in governance.filters (eu); declare the filter there'));
    });

    test('rejects queries and prepared statements for personas that are not declared', () => {
      const body = [
        '  personas:',
        '    analysts: { description: Analysts. }',
        '  queries:',
        '    revenue: { file: revenue.sql, database: curated, personas: [analysts, finance] }',
        '  statements:',
        '    revenue-for-day: { file: revenue_for_day.sql, personas: [auditors] }',
        '',
      ].join('\n');
      expect(problemsOf(body)).toEqual(
        lines(
          'governance.queries.revenue.personas.1 is "finance", which is not in governance.personas (analysts); declare the persona there',
          'governance.statements.revenue-for-day.personas.0 is "auditors", which is not in governance.personas (analysts); declare the persona there',
        ),
      );
    });
  });

  describe('data filters', () => {
    test('rejects a filter of a table that is not in lake.tables, or named in the wrong zone', () => {
      const body = '  filters:\n    eu: { table: curated.orders, rowFilter: "TRUE" }\n    de: { table: processed.customers, rowFilter: "TRUE" }\n';
      expect(problemsOf(body)).toEqual(
        lines(
          'governance.filters.eu.table is "curated.orders", which is not in lake.tables (daily_revenue, customers); declare the table there, or name a declared one',
          'governance.filters.de.table is "processed.customers", but lake.tables.customers is in the curated zone; use "curated.customers"',
        ),
      );
    });

    test('rejects a filter column the table does not have, and accepts a partition key', () => {
      const body = '  filters:\n    recent: { table: curated.daily_revenue, rowFilter: "TRUE", columns: [order_month, revenue, margin] }\n';
      expect(problemsOf(body)).toEqual(
        lines('governance.filters.recent.columns.2 is "margin", which is not a column of curated.daily_revenue (order_date, revenue, order_month); use one of its columns or partition keys'),
      );
    });

    test('reports a malformed table reference once, by the schema', () => {
      expect(problemsOf('  filters:\n    eu: { table: customers, rowFilter: "TRUE" }\n')).toEqual(
        lines('governance.filters.eu.table is "customers"; use "<zone>.<table>", a table of lake.tables (e.g. "curated.daily_revenue")'),
      );
    });

    const TAGGED = '  databases:\n    curated: { domain: sales, sensitivity: internal }\n  tables:\n    curated.customers: { tags: { domain: customer } }\n';
    const FILTERS = '  filters:\n    eu: { table: curated.customers, rowFilter: "country = \'DE\'" }\n    recent: { table: curated.daily_revenue, rowFilter: "order_month >= \'2026-01\'" }\n';

    test('rejects a filter granted to a persona whose tag grant already reads the whole table, naming the grant and the table\'s tags', () => {
      const body = `${TAGGED}${FILTERS}  personas:\n    analysts:\n      description: Analysts.\n      grants:\n        - { tags: { domain: [sales] }, access: describe }\n        - { tags: { domain: [customer], sensitivity: [public, internal] }, access: write }\n      filters: [recent, eu]\n`;
      expect(problemsOf(body)).toEqual(
        lines(
          'governance.personas.analysts.filters.1 is "eu", which restricts nothing: grants.1 already gives analysts SELECT on the whole of curated.customers (tagged domain: customer, sensitivity: internal); '
            + "remove the filter, or narrow the grant's tags so the table falls outside them",
        ),
      );
    });

    test('rejects a filter made pointless by a read grant matching the tags the table inherits from its database', () => {
      const body = `${TAGGED}${FILTERS}  personas:\n    analysts:\n      description: Analysts.\n      grants: [{ tags: { sensitivity: [internal] } }]\n      filters: [recent]\n`;
      expect(problemsOf(body)).toEqual(
        lines(
          'governance.personas.analysts.filters.0 is "recent", which restricts nothing: grants.0 already gives analysts SELECT on the whole of curated.daily_revenue (tagged domain: sales, sensitivity: internal); '
            + "remove the filter, or narrow the grant's tags so the table falls outside them",
        ),
      );
    });

    test('accepts filters that restrict: grants that only describe, miss a value the table overrides, or name a key the table lacks', () => {
      const body = [
        `${TAGGED}${FILTERS}  personas:`,
        '    auditors:',
        '      description: Auditors.',
        '      grants: [{ tags: { domain: [customer] }, access: describe }]',
        '      filters: [eu]',
        '    sales:',
        '      description: Sales.',
        '      grants: [{ tags: { domain: [sales] } }]',
        '      filters: [eu]',
        '    regional:',
        '      description: Regional analysts.',
        '      grants: [{ tags: { domain: [customer], region: [eu] } }]',
        '      filters: [eu]',
        '',
      ].join('\n');
      expect(problemsOf(body)).toEqual([]);
    });
  });
});
