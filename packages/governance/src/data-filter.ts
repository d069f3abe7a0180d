import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { LakeformationDataCellsFilter } from '@cdktf/provider-aws/lib/lakeformation-data-cells-filter';
import { DATASET_NAME_FIX, DATASET_NAME_RE, PlatformStack, Validator } from '@data-platform/core';
import { LakeFormationSettings } from './lake-formation-settings';

/**
 * Longest name of a data cells filter.
 * @see https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_DataCellsFilter.html
 */
export const DATA_CELLS_FILTER_MAX_NAME_LENGTH = 255;

/**
 * Longest row filter expression accepted (as `governance.filters.*.rowFilter`).
 * @see https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_RowFilter.html
 */
export const ROW_FILTER_MAX_LENGTH = 2048;

/** The row filter that lets every row through; written as Lake Formation's all-rows wildcard. */
export const ALL_ROWS = 'TRUE';

/** Column names Glue stores and Athena reads without quoting. */
const COLUMN_RE = /^[a-z_][a-z0-9_]{0,127}$/;

/** Props of {@link DataFilter}. */
export interface DataFilterProps {
  /** The filter's key in `governance.filters`: part of its physical name and of its address. */
  readonly name: string;
  /** The table filtered. */
  readonly table: GlueCatalogTable;
  /**
   * The account's Lake Formation settings: in the same stack, the filter is created once the
   * administrators (the deploy role among them) are in place.
   */
  readonly settings: LakeFormationSettings;
  /**
   * Rows visible through the filter: a SQL WHERE expression over the table's columns (e.g.
   * `country IN ('DE', 'FR')`), or `TRUE` ({@link ALL_ROWS}, any case) for every row.
   */
  readonly rowFilter: string;
  /**
   * Columns visible through the filter.
   * @default every column of the table (column wildcard)
   */
  readonly columns?: readonly string[];
}

/**
 * A Lake Formation data cells filter: the rows and columns of one table a grantee sees
 * (`aws_lakeformation_data_cells_filter`). Personas get SELECT on it ({@link Persona}); the table's
 * other rows and columns stay invisible to them.
 *
 * - Named `<project>-<env>-governance-<name>`, in the table's database and catalog (this account).
 * - Rows: `row_filter.filter_expression`, or the all-rows wildcard when the filter is `TRUE`.
 * - Columns: `column_names` when `columns` is set, otherwise the column wildcard (every column,
 *   including columns added later).
 * - Created after the Lake Formation settings when these are in the same stack
 *   ({@link LakeFormationSettings.after}): creating a filter takes Lake Formation permissions on
 *   the table, which the deploy role has as an administrator.
 *
 * A filter holds no data (applying recreates it), so it is not stateful. Its address is pinned to
 * `aws_lakeformation_data_cells_filter.governance_<name>_filter` (dashes become underscores) so a
 * refactor never creates it a second time under another address while deleting the first.
 *
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/data-filters-about.html
 */
export class DataFilter extends Construct {
  /** The data cells filter resource. */
  readonly filter: LakeformationDataCellsFilter;
  /** Physical name of the filter. */
  readonly name: string;
  /** The table filtered. */
  readonly table: GlueCatalogTable;
  /** The account whose catalog holds the table (the filter's `table_catalog_id`). */
  readonly catalogId: string;

  constructor(scope: Construct, id: string, props: DataFilterProps) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    checkProps(new Validator(`DataFilter ${this.node.path}`), props).throwIfAny();
    const { table, rowFilter, columns, settings } = props;

    this.table = table;
    this.catalogId = stack.env.account;
    this.name = stack.resourceName('governance', props.name, { maxLength: DATA_CELLS_FILTER_MAX_NAME_LENGTH });
    const allRows = !Token.isUnresolved(rowFilter) && rowFilter.trim().toUpperCase() === ALL_ROWS;
    this.filter = new LakeformationDataCellsFilter(this, 'filter', {
      tableData: [{
        name: this.name,
        databaseName: table.databaseName,
        tableName: table.name,
        tableCatalogId: this.catalogId,
        rowFilter: [allRows ? { allRowsWildcard: [{}] } : { filterExpression: rowFilter }],
        columnNames: columns === undefined ? undefined : [...columns],
        columnWildcard: columns === undefined ? [{}] : undefined,
      }],
      dependsOn: settings.after(this),
    });
    if (!Token.isUnresolved(props.name)) this.filter.overrideLogicalId(`governance_${props.name.replace(/-/g, '_')}_filter`);
  }
}

/** Records problems with the props of a DataFilter (values still tokens are skipped). */
function checkProps(v: Validator, { name, rowFilter, columns }: DataFilterProps): Validator {
  const known = (value: unknown) => !Token.isUnresolved(value);
  if (known(name)) v.check(DATASET_NAME_RE.test(name), 'name', `is ${JSON.stringify(name)}; ${DATASET_NAME_FIX}`);
  if (known(rowFilter)) {
    v.check(rowFilter.trim() !== '', 'rowFilter', 'is empty; write a SQL WHERE expression over the table\'s columns (e.g. "country IN (\'DE\', \'FR\')"), or TRUE for every row');
    v.check(rowFilter.length <= ROW_FILTER_MAX_LENGTH, 'rowFilter', `has ${rowFilter.length} characters; use at most ${ROW_FILTER_MAX_LENGTH}`);
  }
  if (columns !== undefined) {
    v.check(columns.length > 0, 'columns', 'is empty; list at least one column, or leave columns out for all of them');
    columns.forEach((column, i) => {
      if (!known(column)) return;
      if (!COLUMN_RE.test(column)) v.add(`columns[${i}]`, `is ${JSON.stringify(column)}; use the lowercase name of a column of the table`);
      else if (columns.indexOf(column) !== i) v.add(`columns[${i}]`, `is ${JSON.stringify(column)} again; list each column once`);
    });
  }
  return v;
}
