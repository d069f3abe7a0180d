import { z } from 'zod';
import { DATASET_NAME_FIX, DATASET_NAME_RE } from './ingestion';

/**
 * The `governance` section: who may see which data, enforced by Lake Formation, and the Athena
 * workgroups each persona queries through. Keys of each map are names (parts of resource names).
 *
 * Tables are referred to as `<zone>.<table>`, a table declared in `lake.tables`.
 */

/** Defaults of the governance section. */
export const GOVERNANCE_DEFAULTS = {
  hybridAccess: false,
  assumedBy: ['account'],
  access: 'read',
  bytesScannedCutoffMb: 1024,
} as const;

/**
 * Athena's smallest bytes-scanned cutoff per query, in MB.
 * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html
 */
export const ATHENA_MIN_CUTOFF_MB = 10;

/**
 * What a grant lets a persona do with the databases and tables its LF-tag expression matches:
 * describe (metadata only), read (query), write (query, change data and create tables).
 */
export const ACCESS_LEVELS = ['describe', 'read', 'write'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** Services a persona's role may be assumed by, besides IAM principals. */
export const PERSONA_SERVICES = ['quicksight.amazonaws.com', 'sagemaker.amazonaws.com'] as const;

export const LF_TAG_KEY_RE = /^[a-z][a-z0-9_-]{0,127}$/;
export const LF_TAG_VALUE_RE = /^[a-z0-9][a-z0-9_.-]{0,254}$/;
/** `<zone>.<table>`, a table of `lake.tables`. */
export const TABLE_REF_RE = /^(raw|processed|curated)\.[a-z][a-z0-9_]{0,127}$/;
const TABLE_REF_FIX = 'use "<zone>.<table>", a table of lake.tables (e.g. "curated.daily_revenue")';
const SQL_FILE_RE = /^[a-z][a-z0-9_]*\.sql$/;
const SQL_FILE_FIX = 'use the file name of a SQL file in packages/governance/queries/, e.g. "daily_revenue.sql"';
const ROLE_ARN_RE = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@\-/]{1,64}$/;
const PRINCIPAL_ARN_RE = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@\-/]{1,64}$/;
const COLUMN_RE = /^[a-z_][a-z0-9_]{0,127}$/;

const name = () => z.string().regex(DATASET_NAME_RE, { error: DATASET_NAME_FIX });
const tagKey = () => z.string().regex(LF_TAG_KEY_RE, { error: 'use an LF-tag key of lowercase letters, digits, "_" and "-", starting with a letter' });
const tagValue = () => z.string().regex(LF_TAG_VALUE_RE, { error: 'use an LF-tag value of lowercase letters, digits, "_", "." and "-"' });
const tableRef = () => z.string().regex(TABLE_REF_RE, { error: TABLE_REF_FIX });
/** Tag assignments: one value per key, e.g. `{ domain: sales, sensitivity: internal }`. */
const assignment = () => z.record(tagKey(), tagValue()).describe('LF-tags assigned: one value per tag key.');

const grant = z
  .strictObject({
    tags: z
      .record(tagKey(), z.array(tagValue()).min(1, { error: 'list at least one value' }))
      .refine((t) => Object.keys(t).length > 0, { error: 'list at least one tag key with its values, e.g. { domain: [sales] }' })
      .describe('LF-tag expression: a resource matches when, for every key listed, its value is one of those listed.'),
    access: z.enum(ACCESS_LEVELS, { error: `use one of ${ACCESS_LEVELS.join(', ')}` }).default(GOVERNANCE_DEFAULTS.access)
      .describe('describe: see metadata; read: query (SELECT); write: also insert, delete, alter and create tables.'),
  })
  .describe('A tag-based grant, at database and table level. Columns tagged with a value outside the expression stay hidden.');

const persona = z
  .strictObject({
    description: z.string().min(1, { error: 'say who this persona is (shown on its role)' }).max(1000, { error: 'use at most 1000 characters' })
      .describe('Who this persona is, shown on its role.'),
    assumedBy: z
      .array(
        z.string().refine((v) => v === 'account' || PRINCIPAL_ARN_RE.test(v) || (PERSONA_SERVICES as readonly string[]).includes(v), {
          error: `use "account" (IAM in this account decides), an IAM role or user ARN, or a service (${PERSONA_SERVICES.join(', ')})`,
        }),
      )
      .min(1, { error: 'list at least one principal, e.g. account' })
      .default([...GOVERNANCE_DEFAULTS.assumedBy])
      .describe('Who may assume the persona\'s role: "account" (delegated to IAM policies in this account), role/user ARNs or a service principal.'),
    grants: z.array(grant).default([]).describe('Tag-based grants; none: the persona sees only what its filters grant.'),
    filters: z.array(name()).default([]).describe('Data cells filters (governance.filters) granted to this persona.'),
    bytesScannedCutoffMb: z
      .number({ error: `use a whole number of MB, at least ${ATHENA_MIN_CUTOFF_MB}` })
      .int({ error: `use a whole number of MB, at least ${ATHENA_MIN_CUTOFF_MB}` })
      .min(ATHENA_MIN_CUTOFF_MB, { error: `use ${ATHENA_MIN_CUTOFF_MB} or more: Athena's smallest per-query cutoff is ${ATHENA_MIN_CUTOFF_MB} MB` })
      .max(1_000_000_000, { error: 'use at most 1000000000 (about 1 PB)' })
      .default(GOVERNANCE_DEFAULTS.bytesScannedCutoffMb)
      .describe('The persona\'s workgroup cancels a query once it has scanned this many MB.'),
  })
  .describe('A persona: an IAM role, its Lake Formation grants and its Athena workgroup.');

const tableTags = z
  .strictObject({
    tags: assignment().default({}).describe('LF-tags of the table; keys not set here are inherited from its database.'),
    columns: z
      .record(z.string().regex(COLUMN_RE, { error: 'use a column name of the table' }), assignment())
      .default({})
      .describe('LF-tags of single columns (e.g. { email: { sensitivity: pii } }), overriding the table\'s.'),
  })
  .describe('LF-tags of one table and its columns.');

const filter = z
  .strictObject({
    table: tableRef().describe('The table filtered, "<zone>.<table>".'),
    rowFilter: z.string().min(1, { error: 'write a SQL WHERE expression, or TRUE for every row' }).max(2048, { error: 'use at most 2048 characters' }).describe('Row filter: a SQL WHERE expression (e.g. "country IN (\'DE\', \'FR\')"), or TRUE for every row.'),
    columns: z.array(z.string().regex(COLUMN_RE, { error: 'use a column name of the table' })).min(1, { error: 'list at least one column, or leave columns out for all of them' })
      .optional().describe('Columns visible through the filter. Unset: all columns.'),
  })
  .describe('A data cells filter: rows and columns of one table.');

const query = z
  .strictObject({
    file: z.string().regex(SQL_FILE_RE, { error: SQL_FILE_FIX }).describe('SQL file in packages/governance/queries/.'),
    database: z.enum(['raw', 'processed', 'curated'], { error: 'use raw, processed or curated' }).describe('Zone database the query runs in.'),
    description: z.string().max(1024, { error: 'use at most 1024 characters' }).optional().describe('Shown in the Athena console.'),
    personas: z.array(name()).min(1, { error: 'list at least one persona' }).describe('Personas whose workgroups get the query.'),
  })
  .describe('A saved (named) Athena query.');

const statement = z
  .strictObject({
    file: z.string().regex(SQL_FILE_RE, { error: SQL_FILE_FIX }).describe('SQL file with ? parameters, in packages/governance/queries/.'),
    description: z.string().max(1024, { error: 'use at most 1024 characters' }).optional().describe('Shown in the Athena console.'),
    personas: z.array(name()).min(1, { error: 'list at least one persona' }).describe('Personas whose workgroups get the statement.'),
  })
  .describe('An Athena prepared statement (EXECUTE <name> USING ...).');

const share = z
  .strictObject({
    account: z.string().regex(/^\d{12}$/, { error: 'use the consumer\'s 12-digit AWS account id, quoted' }).describe('Consumer AWS account.'),
    database: z.enum(['raw', 'processed', 'curated'], { error: 'use raw, processed or curated' }).describe('Zone database shared.'),
    access: z.enum(['describe', 'read'], { error: 'use describe or read (a consumer account never writes)' }).default('read')
      .describe('describe: metadata only; read: query every table of the database.'),
  })
  .describe('A database shared with another account (Lake Formation cross-account grant, accepted there through AWS RAM).');

export const governanceSchema = z
  .strictObject({
    administrators: z.array(z.string().regex(ROLE_ARN_RE, { error: 'use an IAM role ARN' })).default([])
      .describe('Lake Formation administrators besides the deploy role (which is always one, so a plan never locks itself out).'),
    hybridAccess: z.boolean({ error: 'use true or false' }).default(GOVERNANCE_DEFAULTS.hybridAccess)
      .describe('Register zones in hybrid access mode and keep IAM-only defaults, for migrating existing IAM consumers; Lake Formation grants then apply only to principals opted in (not created here). false: Lake Formation alone governs.'),
    tags: z
      .record(tagKey(), z.array(tagValue()).min(1, { error: 'list at least one value' }).max(1000, { error: 'use at most 1000 values' }))
      .default({})
      .describe('LF-tags and their allowed values, e.g. { sensitivity: [public, internal, pii] }.'),
    databases: z
      .strictObject({ raw: assignment().optional(), processed: assignment().optional(), curated: assignment().optional() })
      .default({})
      .describe('LF-tags of the zone databases; their tables inherit them.'),
    tables: z.record(tableRef(), tableTags).default({}).describe('LF-tags of tables and columns, by "<zone>.<table>".'),
    personas: z.record(name(), persona).default({}).describe('Personas by name.'),
    filters: z.record(name(), filter).default({}).describe('Data cells filters by name.'),
    queries: z.record(name(), query).default({}).describe('Saved Athena queries by name.'),
    statements: z.record(name(), statement).default({}).describe('Athena prepared statements by name.'),
    sharing: z.record(name(), share).default({}).describe('Databases shared with other accounts, by share name.'),
  })
  .describe('Lake Formation permissions (LF-tags, personas, filters, sharing) and Athena workgroups. Unset: no governance layer.');

export type GovernanceConfig = z.output<typeof governanceSchema>;
export type PersonaConfig = GovernanceConfig['personas'][string];
export type DataFilterConfig = GovernanceConfig['filters'][string];
