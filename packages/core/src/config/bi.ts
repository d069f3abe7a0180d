import { z } from 'zod';
import { DATASET_NAME_FIX, DATASET_NAME_RE } from './ingestion';
import { TABLE_REF_RE } from './governance';

/**
 * The `bi` section: QuickSight groups, the Athena data source, datasets, refresh schedules and
 * dashboards. QuickSight reaches Athena as a governance persona (its role and workgroup), so
 * Lake Formation decides what BI sees. Keys of each map are names.
 */

/** Defaults of the bi section. */
export const BI_DEFAULTS = {
  namespace: 'default',
  vpcConnection: false,
  importMode: 'spice',
  refreshTime: '06:00',
  lookbackDays: 7,
} as const;

/**
 * QuickSight roles a group may hold.
 * @see https://docs.aws.amazon.com/quicksight/latest/APIReference/API_CreateRoleMembership.html
 */
export const QUICKSIGHT_ROLES = ['READER', 'AUTHOR', 'ADMIN', 'READER_PRO', 'AUTHOR_PRO', 'ADMIN_PRO'] as const;
/** Column types of a QuickSight dataset's input. */
export const QUICKSIGHT_COLUMN_TYPES = ['STRING', 'INTEGER', 'DECIMAL', 'DATETIME', 'BIT', 'BOOLEAN'] as const;
export const REFRESH_INTERVALS = ['hourly', 'daily', 'weekly'] as const;

const name = () => z.string().regex(DATASET_NAME_RE, { error: DATASET_NAME_FIX });
const COLUMN_RE = /^[a-z_][a-z0-9_]{0,127}$/;
const LOOKBACK_FIX = 'use a whole number from 1 to 365';
const USER_RE = /^[\w+=,.@-]{1,64}(\/[\w+=,.@-]{1,64})?$/;

const group = z
  .strictObject({
    description: z.string().max(512, { error: 'use at most 512 characters' }).optional().describe('Shown in QuickSight.'),
    role: z.enum(QUICKSIGHT_ROLES, { error: `use one of ${QUICKSIGHT_ROLES.join(', ')}` }).describe('QuickSight role of the group\'s members.'),
    members: z.array(z.string().regex(USER_RE, { error: 'use a QuickSight user name (e.g. "alice" or "DataAnalyst/alice@example.com")' }))
      .default([]).describe('QuickSight user names (the users exist already, e.g. through SSO).'),
  })
  .describe('A QuickSight group: its role and members.');

const column = z.strictObject({
  name: z.string().regex(COLUMN_RE, { error: 'use a column name (lowercase letters, digits, "_")' }).describe('Column name.'),
  type: z.enum(QUICKSIGHT_COLUMN_TYPES, { error: `use one of ${QUICKSIGHT_COLUMN_TYPES.join(', ')}` }).describe('QuickSight type.'),
});

const dataset = z
  .strictObject({
    table: z.string().regex(TABLE_REF_RE, { error: 'use "<zone>.<table>", a table of lake.tables' }).optional()
      .describe('A table of lake.tables, "<zone>.<table>". Set table or sql.'),
    sql: z.string().min(1, { error: 'write the query, or use table instead' }).max(65536, { error: 'use at most 65536 characters' }).optional().describe('Custom SQL over Athena. Set table or sql.'),
    columns: z.array(column).min(1, { error: 'list the dataset\'s columns (name, type)' }).describe('Columns of the table or query, with QuickSight types.'),
    importMode: z.enum(['spice', 'direct'], { error: 'use "spice" (imported, refreshed on a schedule) or "direct" (queries Athena each time)' })
      .default(BI_DEFAULTS.importMode).describe('spice: imported into SPICE and refreshed on a schedule; direct: every visual queries Athena.'),
    calculatedFields: z
      .array(z.strictObject({
        name: z.string().regex(COLUMN_RE, { error: 'use a field name (lowercase letters, digits, "_")' }).describe('Field name.'),
        expression: z.string().min(1, { error: 'write a QuickSight expression, e.g. "revenue / orders"' }).max(4096, { error: 'use at most 4096 characters' }).describe('QuickSight expression, e.g. "revenue / orders".'),
      }))
      .default([]).describe('Calculated fields.'),
    rowLevelSecurity: name().optional().describe('A permissions dataset (of this section) restricting rows per group or user. Unset: no row-level security.'),
    groups: z.array(name()).default([]).describe('Groups that may use the dataset (read-only).'),
    refresh: z
      .strictObject({
        interval: z.enum(REFRESH_INTERVALS, { error: `use one of ${REFRESH_INTERVALS.join(', ')}` }).describe('How often SPICE is refreshed.'),
        time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'use a time of day "HH:MM" (24h, UTC)' }).default(BI_DEFAULTS.refreshTime)
          .describe('Time of day (UTC) of daily and weekly refreshes.'),
        incrementalColumn: z.string().regex(COLUMN_RE, { error: 'use a date column of the dataset' }).optional()
          .describe('A date column: refresh only the last lookbackDays of it. Unset: full refresh.'),
        lookbackDays: z.number({ error: LOOKBACK_FIX }).int({ error: LOOKBACK_FIX }).min(1, { error: LOOKBACK_FIX }).max(365, { error: LOOKBACK_FIX }).default(BI_DEFAULTS.lookbackDays).describe('Days an incremental refresh reloads.'),
      })
      .optional()
      .describe('SPICE refresh schedule. Unset: refreshed only by hand.'),
  })
  .describe('A QuickSight dataset over Athena.');

const dashboard = z
  .strictObject({
    definition: z.string().regex(/^[a-z][a-z0-9_-]*\.json$/, { error: 'use the file name of a definition in packages/bi/definitions/, e.g. "revenue.json"' })
      .describe('Analysis/dashboard definition in packages/bi/definitions/.'),
    datasets: z.array(name()).min(1, { error: 'list the datasets the definition uses' }).describe('Datasets of this section the definition uses.'),
    groups: z.array(name()).min(1, { error: 'list at least one group: dashboards are shared by group, never publicly' }).describe('Groups the dashboard is shared with (viewers).'),
  })
  .describe('An analysis and its published dashboard.');

export const biSchema = z
  .strictObject({
    persona: name().describe('The governance persona QuickSight queries as: its role (trusted by quicksight.amazonaws.com) and workgroup.'),
    namespace: z.string().regex(/^[a-zA-Z0-9._-]{1,63}$/, { error: 'use a QuickSight namespace name' }).default(BI_DEFAULTS.namespace)
      .describe('QuickSight namespace of the groups.'),
    vpcConnection: z.boolean({ error: 'use true or false' }).default(BI_DEFAULTS.vpcConnection)
      .describe('Reach Athena through a QuickSight VPC connection in network.subnets.'),
    groups: z.record(name(), group).default({}).describe('QuickSight groups by name.'),
    datasets: z.record(name(), dataset).default({}).describe('Datasets by name.'),
    dashboards: z.record(name(), dashboard).default({}).describe('Dashboards by name.'),
  })
  .describe('QuickSight over Athena. Unset: no bi layer.');

export type BiConfig = z.output<typeof biSchema>;
export type BiDatasetConfig = BiConfig['datasets'][string];
