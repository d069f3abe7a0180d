import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Problem } from '@data-platform/core';
import { terraformLiteral } from './quicksight';

/**
 * Analysis and dashboard definitions: read from `packages/bi/definitions/`, written in the
 * QuickSight API's form, and mapped to AWS provider 5.100's `definition` block.
 *
 * A definition file holds the `Definition` object of the QuickSight API (what
 * `aws quicksight describe-analysis-definition` returns, PascalCase), so an analysis built in the
 * console can be exported into the repository as it is. Two changes: `DataSetIdentifierDeclarations`
 * list only each `Identifier` (the name of a dataset in `bi.datasets`), never a `DataSetArn`
 * (the construct binds each to the dataset passed), and timestamps are RFC 3339 strings.
 */

/** Folder of the definitions dashboards name in the environment file (`bi.dashboards.<name>.definition`). */
export const DEFINITIONS_DIR = join(__dirname, '..', 'definitions');

/**
 * Members of the QuickSight API's definition that AWS provider 5.100 names otherwise than their
 * snake_case, with the provider blocks they are renamed in (the member keeps its snake_case
 * elsewhere): e.g. `DataSetIdentifierDeclarations` is `data_set_identifiers_declarations`.
 * Checked against the provider's schema and the API model for every place a member can occur.
 */
export const DEFINITION_RENAMES: Readonly<Record<string, { readonly in: readonly string[]; readonly to: string }>> = {
  DataSetIdentifierDeclarations: { in: ['definition'], to: 'data_set_identifiers_declarations' },
  FormatConfiguration: { in: ['format_configuration', 'number_format_configuration'], to: 'numeric_format_configuration' },
  AggregationSortConfigurations: { in: ['top_bottom_filter'], to: 'aggregation_sort_configuration' },
  ValueWhenUnset: {
    in: ['date_time_parameter_declaration', 'decimal_parameter_declaration', 'integer_parameter_declaration', 'string_parameter_declaration'],
    to: 'values_when_unset',
  },
  SelectedFieldOptions: { in: ['selected_fields_configuration'], to: 'selected_field_option' },
  TargetVisualOptions: { in: ['same_sheet_target_visual_configuration'], to: 'target_visual_option' },
  FieldBasedTooltip: { in: ['tooltip'], to: 'field_base_tooltip' },
  TooltipOptions: { in: ['chart_configuration'], to: 'tooltip' },
  Computations: { in: ['insight_configuration'], to: 'computation' },
  MissingDataConfigurations: { in: ['primary_y_axis_display_options', 'secondary_y_axis_display_options'], to: 'missing_data_configuration' },
};

/**
 * Members of the QuickSight API's definition that AWS provider 5.100 has nowhere in its
 * `definition` block (newer QuickSight features): a definition using one is refused with its
 * path, before Terraform would. A few more are missing only in some places (e.g. `Tooltip` of
 * table visuals); `terraform validate` names those.
 */
export const UNSUPPORTED_DEFINITION_MEMBERS: readonly string[] = [
  'Absolute', 'AllSheets', 'AttributeAggregationFunction', 'AxesRangeScale', 'BorderRadius', 'CollapseStateOptions',
  'ColorConfiguration', 'ColorsConfiguration', 'ColumnAxisDisplayOptions', 'CommitMode', 'ControlSortConfigurations',
  'ControlTitleFormatText', 'CrossSheet', 'CustomActionDefaults', 'DashboardCustomizationVisualOptions', 'DataPathType',
  'DateIconVisibility', 'DecalSettings', 'DecalSettingsConfiguration', 'DefaultCellWidth', 'DefaultFilterControlConfiguration',
  'FontFamily', 'GeocodingPreferences', 'GroupingStyle', 'HeatmapConfiguration', 'HelperTextVisibility', 'Images',
  'InfoIconLabelOptions', 'Interactions', 'LayerMapVisual', 'MappedDataSetParameters', 'NestedFilter', 'Options',
  'PinnedFieldOptions', 'PluginVisual', 'QueryExecutionOptions', 'RepeatConfiguration', 'RowAxisDisplayOptions',
  'RowsLabelOptions', 'RowsLayout', 'Scopes', 'SelectedColumns', 'SeriesType', 'SheetTooltip', 'SingleAxisOptions',
  'SourceColumn', 'Sparklines', 'StaticFiles', 'StyleTargets', 'TooltipSheets', 'TooltipTarget', 'TotalAggregationOptions',
  'TransposedTableOptions', 'UsePrimaryBackgroundColor', 'ValueFontConfiguration', 'VisualContentAltText',
];

/** A definition file, parsed: the QuickSight API's `Definition` object. */
export type ApiDefinition = Record<string, unknown>;

/** What a definition uses of its datasets: the identifiers it declares and the columns it reads. */
export interface DefinitionReferences {
  /** `DataSetIdentifierDeclarations[].Identifier`, in order. */
  readonly declared: readonly string[];
  /** Every `DataSetIdentifier` used, with where. */
  readonly identifiers: ReadonlyArray<{ readonly identifier: string; readonly path: string }>;
  /** Every column read (`{ DataSetIdentifier, ColumnName }`), with where. */
  readonly columns: ReadonlyArray<{ readonly identifier: string; readonly column: string; readonly path: string }>;
  /** The analysis' own calculated fields (`CalculatedFields[].Name`) by dataset identifier. */
  readonly calculatedFields: Readonly<Record<string, readonly string[]>>;
}

const PASCAL_RE = /^[A-Z][A-Za-z0-9]*$/;

/** `Name` as the provider writes it: `KPIVisual` -> `kpi_visual`, `ExportToCSVOption` -> `export_to_csv_option`. */
export function snakeCase(name: string): string {
  return name.replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The provider's name of API member `member` inside the provider block `parent`. */
function providerName(parent: string, member: string): string {
  const rename = DEFINITION_RENAMES[member];
  return rename && rename.in.includes(parent) ? rename.to : snakeCase(member);
}

/**
 * Reads the definition `file` from `dir`: the QuickSight API's `Definition` object.
 * @returns the definition, or the problems with the file (missing, not JSON, not an object)
 */
export function readDefinition(file: string, dir: string = DEFINITIONS_DIR): { readonly definition?: ApiDefinition; readonly problems: Problem[] } {
  const path = join(dir, file);
  const where = dir === DEFINITIONS_DIR ? 'packages/bi/definitions' : dir;
  if (!/^[a-z][a-z0-9_-]*\.json$/.test(file)) {
    return { problems: [{ path: 'definition', message: `is ${JSON.stringify(file)}; use the file name of a definition in ${where}, e.g. "revenue.json"` }] };
  }
  if (!existsSync(path)) {
    return { problems: [{ path: 'definition', message: `is "${file}", which is not in ${where}; add the definition there or fix the name` }] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return { problems: [{ path: 'definition', message: `is "${file}", which is not valid JSON (${(e as Error).message}); fix the file` }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problems: [{ path: 'definition', message: `is "${file}", which holds ${Array.isArray(parsed) ? 'a list' : typeof parsed}; write the QuickSight API's Definition object ({ "DataSetIdentifierDeclarations": [...], "Sheets": [...] })` }] };
  }
  return { definition: parsed as ApiDefinition, problems: [] };
}

/** The identifiers, columns and calculated fields `definition` refers to (see {@link DefinitionReferences}). */
export function definitionReferences(definition: ApiDefinition): DefinitionReferences {
  const declarations = Array.isArray(definition.DataSetIdentifierDeclarations) ? definition.DataSetIdentifierDeclarations : [];
  const declared = declarations.map((d) => (d as Record<string, unknown>)?.Identifier).filter((i): i is string => typeof i === 'string');
  const identifiers: Array<{ identifier: string; path: string }> = [];
  const columns: Array<{ identifier: string; column: string; path: string }> = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${path}[${i}]`));
    } else if (typeof value === 'object' && value !== null) {
      const node = value as Record<string, unknown>;
      if (typeof node.DataSetIdentifier === 'string') {
        identifiers.push({ identifier: node.DataSetIdentifier, path: `${path}.DataSetIdentifier` });
        if (typeof node.ColumnName === 'string') columns.push({ identifier: node.DataSetIdentifier, column: node.ColumnName, path: `${path}.ColumnName` });
      }
      for (const [key, child] of Object.entries(node)) visit(child, path ? `${path}.${key}` : key);
    }
  };
  visit(definition, '');
  const calculatedFields: Record<string, string[]> = {};
  for (const field of Array.isArray(definition.CalculatedFields) ? definition.CalculatedFields : []) {
    const { DataSetIdentifier: identifier, Name: name } = (field ?? {}) as Record<string, unknown>;
    if (typeof identifier === 'string' && typeof name === 'string') (calculatedFields[identifier] ??= []).push(name);
  }
  return { declared, identifiers, columns, calculatedFields };
}

/**
 * Maps a definition in the QuickSight API's form to AWS provider 5.100's `definition` block
 * (Terraform JSON: nested blocks as objects and lists of objects):
 *
 * - member names to snake_case, except the provider's own names ({@link DEFINITION_RENAMES});
 * - each `DataSetIdentifierDeclarations` entry bound to the ARN `dataSetArns` has for its identifier;
 * - text passed literally ({@link terraformLiteral}: QuickSight's `${parameter}` is not Terraform's);
 * - refused, with their path: members the provider lacks ({@link UNSUPPORTED_DEFINITION_MEMBERS}),
 *   names that are not PascalCase API members, nulls, a `DataSetArn` in a declaration.
 *
 * @returns the block, or the problems found (paths relative to the definition file)
 */
export function toProviderDefinition(
  definition: ApiDefinition,
  dataSetArns: Readonly<Record<string, string>>,
): { readonly definition: Record<string, unknown>; readonly problems: Problem[] } {
  const problems: Problem[] = [];
  const map = (value: unknown, parent: string, path: string): unknown => {
    if (Array.isArray(value)) return value.map((item, i) => map(item, parent, `${path}[${i}]`));
    if (typeof value === 'string') return terraformLiteral(value);
    if (typeof value === 'number' || typeof value === 'boolean') return value;
    if (value === null || typeof value !== 'object') {
      problems.push({ path, message: `is ${value === null ? 'null' : typeof value}; give a value or remove it` });
      return undefined;
    }
    const block: Record<string, unknown> = {};
    for (const [member, child] of Object.entries(value as Record<string, unknown>)) {
      const at = path ? `${path}.${member}` : member;
      if (!PASCAL_RE.test(member)) {
        problems.push({ path: at, message: `is not a member of the QuickSight API's definition (they are PascalCase, as describe-analysis-definition returns them); export the definition from QuickSight or fix the name` });
      } else if (UNSUPPORTED_DEFINITION_MEMBERS.includes(member)) {
        problems.push({ path: at, message: 'is not supported by AWS provider 5.100 (aws_quicksight_analysis and aws_quicksight_dashboard have no such setting); remove it' });
      } else {
        const name = providerName(parent, member);
        block[name] = map(child, name, at);
      }
    }
    return block;
  };

  const declarations = definition.DataSetIdentifierDeclarations;
  if (!Array.isArray(declarations) || declarations.length === 0) {
    problems.push({ path: 'DataSetIdentifierDeclarations', message: 'is missing or empty; declare each dataset the definition uses: [{ "Identifier": "<dataset name>" }]' });
  } else {
    declarations.forEach((d, i) => {
      const declaration = (d ?? {}) as Record<string, unknown>;
      if ('DataSetArn' in declaration) {
        problems.push({ path: `DataSetIdentifierDeclarations[${i}].DataSetArn`, message: 'is set; remove it: each identifier is bound to the dataset of that name passed to the dashboard' });
      }
      if (typeof declaration.Identifier !== 'string') {
        problems.push({ path: `DataSetIdentifierDeclarations[${i}].Identifier`, message: 'is missing; name a dataset of bi.datasets' });
      }
      for (const member of Object.keys(declaration).filter((m) => m !== 'Identifier' && m !== 'DataSetArn')) {
        problems.push({ path: `DataSetIdentifierDeclarations[${i}].${member}`, message: 'is not part of a declaration; a declaration has only an Identifier' });
      }
    });
  }
  const rest = Object.fromEntries(Object.entries(definition).filter(([member]) => member !== 'DataSetIdentifierDeclarations'));
  const block = map(rest, 'definition', '') as Record<string, unknown>;
  const bound = (Array.isArray(declarations) ? declarations : []).map((d) => {
    const identifier = String(((d ?? {}) as Record<string, unknown>).Identifier);
    return { identifier: terraformLiteral(identifier), data_set_arn: dataSetArns[identifier] };
  });
  return { definition: { data_set_identifiers_declarations: bound, ...block }, problems };
}
