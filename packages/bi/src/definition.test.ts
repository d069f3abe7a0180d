import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiDefinition,
  DEFINITION_RENAMES,
  DEFINITIONS_DIR,
  UNSUPPORTED_DEFINITION_MEMBERS,
  definitionReferences,
  readDefinition,
  snakeCase,
  toProviderDefinition,
} from './definition';

const ARN = 'arn:aws:quicksight:eu-west-1:111111111111:dataset/adp-dev-bi-daily-revenue';
const DECLARED = { DataSetIdentifierDeclarations: [{ Identifier: 'daily-revenue' }] };

/** The sample definition, packages/bi/definitions/revenue.json. */
const revenue = () => readDefinition('revenue.json').definition as ApiDefinition;
/** `definition` mapped with the sample dataset bound. */
const mapped = (definition: ApiDefinition) => toProviderDefinition(definition, { 'daily-revenue': ARN });

/** Folders of definitions written by the tests, removed at the end. */
const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder holding `files` (name -> content), for definitions that are not in the repository. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bi-definitions-'));
  folders.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('snakeCase', () => {
  it("writes API member names as the provider does, acronyms included", () => {
    expect(['Sheets', 'KPIVisual', 'DataSetIdentifier', 'ExportToCSVOption', 'LineChartAggregatedFieldWells', 'Top10'].map(snakeCase)).toEqual([
      'sheets',
      'kpi_visual',
      'data_set_identifier',
      'export_to_csv_option',
      'line_chart_aggregated_field_wells',
      'top10',
    ]);
  });
});

describe('the provider differences', () => {
  it('renames the members AWS provider 5.100 names otherwise, only in their blocks', () => {
    expect(Object.fromEntries(Object.entries(DEFINITION_RENAMES).map(([member, { to }]) => [member, to]))).toEqual({
      DataSetIdentifierDeclarations: 'data_set_identifiers_declarations',
      FormatConfiguration: 'numeric_format_configuration',
      AggregationSortConfigurations: 'aggregation_sort_configuration',
      ValueWhenUnset: 'values_when_unset',
      SelectedFieldOptions: 'selected_field_option',
      TargetVisualOptions: 'target_visual_option',
      FieldBasedTooltip: 'field_base_tooltip',
      TooltipOptions: 'tooltip',
      Computations: 'computation',
      MissingDataConfigurations: 'missing_data_configuration',
    });
  });

  it('lists the 56 members the provider lacks everywhere', () => {
    expect(UNSUPPORTED_DEFINITION_MEMBERS).toHaveLength(56);
    expect(UNSUPPORTED_DEFINITION_MEMBERS).toEqual(expect.arrayContaining(['Options', 'StaticFiles', 'VisualContentAltText', 'Interactions', 'PluginVisual', 'LayerMapVisual']));
    expect(new Set(UNSUPPORTED_DEFINITION_MEMBERS).size).toBe(56);
  });
});

describe('readDefinition', () => {
  it('reads a definition of packages/bi/definitions', () => {
    expect(DEFINITIONS_DIR).toMatch(/packages\/bi\/definitions$/);
    const { definition, problems } = readDefinition('revenue.json');
    expect(problems).toEqual([]);
    expect(Object.keys(definition ?? {})).toEqual(['DataSetIdentifierDeclarations', 'Sheets', 'AnalysisDefaults']);
  });

  it('says what is wrong with a name, a missing file, bad JSON and a file that is not an object', () => {
    const dir = folder({ 'broken.json': '{ "Sheets": [', 'list.json': '[]' });
    expect(readDefinition('Revenue.JSON').problems).toEqual([{ path: 'definition', message: 'is "Revenue.JSON"; use the file name of a definition in packages/bi/definitions, e.g. "revenue.json"' }]);
    expect(readDefinition('orders.json').problems).toEqual([{ path: 'definition', message: 'is "orders.json", which is not in packages/bi/definitions; add the definition there or fix the name' }]);
    expect(readDefinition('broken.json', dir).problems).toEqual([
      { path: 'definition', message: expect.stringMatching(/^is "broken.json", which is not valid JSON \(.+\); fix the file$/) },
    ]);
    expect(readDefinition('list.json', dir).problems).toEqual([
      { path: 'definition', message: 'is "list.json", which holds a list; write the QuickSight API\'s Definition object ({ "DataSetIdentifierDeclarations": [...], "Sheets": [...] })' },
    ]);
  });
});

describe('toProviderDefinition', () => {
  it('binds each declared identifier to the ARN of its dataset', () => {
    const { definition, problems } = mapped(revenue());
    expect(problems).toEqual([]);
    expect(definition.data_set_identifiers_declarations).toEqual([{ identifier: 'daily-revenue', data_set_arn: ARN }]);
  });

  it('maps the sample KPI, line chart and bar chart to the provider block, member by member', () => {
    const { definition } = mapped(revenue());
    expect(Object.keys(definition)).toEqual(['data_set_identifiers_declarations', 'sheets', 'analysis_defaults']);
    const sheet = (definition.sheets as Array<Record<string, unknown>>)[0];
    expect(Object.keys(sheet)).toEqual(['sheet_id', 'name', 'content_type', 'visuals', 'layouts']);
    const [kpi, line, bar] = sheet.visuals as Array<Record<string, Record<string, unknown>>>;
    expect(kpi.kpi_visual).toEqual({
      visual_id: 'total-revenue',
      title: { visibility: 'VISIBLE', format_text: { plain_text: 'Total revenue' } },
      chart_configuration: {
        field_wells: {
          values: [
            {
              numerical_measure_field: {
                field_id: 'total-revenue.revenue',
                column: { data_set_identifier: 'daily-revenue', column_name: 'revenue' },
                aggregation_function: { simple_numerical_aggregation: 'SUM' },
              },
            },
          ],
        },
      },
    });
    expect(Object.keys(line)).toEqual(['line_chart_visual']);
    expect((line.line_chart_visual.chart_configuration as Record<string, unknown>).field_wells).toEqual({
      line_chart_aggregated_field_wells: {
        category: [{ date_dimension_field: { field_id: 'revenue-by-day.order_date', column: { data_set_identifier: 'daily-revenue', column_name: 'order_date' }, date_granularity: 'DAY' } }],
        values: [
          {
            numerical_measure_field: {
              field_id: 'revenue-by-day.revenue',
              column: { data_set_identifier: 'daily-revenue', column_name: 'revenue' },
              aggregation_function: { simple_numerical_aggregation: 'SUM' },
            },
          },
        ],
      },
    });
    expect((bar.bar_chart_visual.chart_configuration as Record<string, unknown>).sort_configuration).toEqual({
      category_sort: [{ field_sort: { field_id: 'orders-by-month.order_date', direction: 'ASC' } }],
    });
    expect(sheet.layouts).toEqual([
      {
        configuration: {
          grid_layout: {
            elements: [
              { element_id: 'total-revenue', element_type: 'VISUAL', column_index: 0, column_span: 12, row_index: 0, row_span: 12 },
              { element_id: 'revenue-by-day', element_type: 'VISUAL', column_index: 12, column_span: 24, row_index: 0, row_span: 12 },
              { element_id: 'orders-by-month', element_type: 'VISUAL', column_index: 0, column_span: 36, row_index: 12, row_span: 12 },
            ],
          },
        },
      },
    ]);
  });

  it('applies each provider rename in its block, and keeps the snake_case name elsewhere', () => {
    const definition = {
      ...DECLARED,
      ParameterDeclarations: [{ StringParameterDeclaration: { Name: 'Country', ValueWhenUnset: { ValueWhenUnsetOption: 'NULL' } } }],
      ColumnConfigurations: [{ FormatConfiguration: { NumberFormatConfiguration: { FormatConfiguration: { NumberDisplayFormatConfiguration: {} } } } }],
      FilterGroups: [{ Filters: [{ TopBottomFilter: { AggregationSortConfigurations: [] } }] }],
      Sheets: [
        {
          Visuals: [
            { GaugeChartVisual: { ChartConfiguration: { TooltipOptions: { FieldBasedTooltip: {} } } } },
            { InsightVisual: { InsightConfiguration: { Computations: [] } } },
            { LineChartVisual: { ChartConfiguration: { PrimaryYAxisDisplayOptions: { MissingDataConfigurations: [] }, Tooltip: { FieldBasedTooltip: {} } } } },
            {
              BarChartVisual: {
                Actions: [
                  {
                    ActionOperations: [
                      { FilterOperation: { SelectedFieldsConfiguration: { SelectedFieldOptions: 'ALL_FIELDS' }, TargetVisualsConfiguration: { SameSheetTargetVisualConfiguration: { TargetVisualOptions: 'ALL_VISUALS' } } } },
                    ],
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    const { definition: block, problems } = mapped(definition);
    expect(problems).toEqual([]);
    expect(block).toEqual({
      data_set_identifiers_declarations: [{ identifier: 'daily-revenue', data_set_arn: ARN }],
      parameter_declarations: [{ string_parameter_declaration: { name: 'Country', values_when_unset: { value_when_unset_option: 'NULL' } } }],
      column_configurations: [{ format_configuration: { number_format_configuration: { numeric_format_configuration: { number_display_format_configuration: {} } } } }],
      filter_groups: [{ filters: [{ top_bottom_filter: { aggregation_sort_configuration: [] } }] }],
      sheets: [
        {
          visuals: [
            { gauge_chart_visual: { chart_configuration: { tooltip: { field_base_tooltip: {} } } } },
            { insight_visual: { insight_configuration: { computation: [] } } },
            { line_chart_visual: { chart_configuration: { primary_y_axis_display_options: { missing_data_configuration: [] }, tooltip: { field_base_tooltip: {} } } } },
            {
              bar_chart_visual: {
                actions: [
                  {
                    action_operations: [
                      { filter_operation: { selected_fields_configuration: { selected_field_option: 'ALL_FIELDS' }, target_visuals_configuration: { same_sheet_target_visual_configuration: { target_visual_option: 'ALL_VISUALS' } } } },
                    ],
                  },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it("passes QuickSight's ${parameter} to QuickSight, not to Terraform", () => {
    const { definition } = mapped({ ...DECLARED, CalculatedFields: [{ DataSetIdentifier: 'daily-revenue', Name: 'selected', Expression: 'ifelse(country = ${Country}, 1, 0)' }] });
    expect(definition.calculated_fields).toEqual([{ data_set_identifier: 'daily-revenue', name: 'selected', expression: 'ifelse(country = $${Country}, 1, 0)' }]);
  });

  it('refuses members the provider lacks, names that are not API members, nulls and bound declarations, with their paths', () => {
    const definition = {
      DataSetIdentifierDeclarations: [{ Identifier: 'daily-revenue', DataSetArn: ARN }, { Name: 'orders' }],
      Options: { Timezone: 'UTC' },
      Sheets: [{ sheet_id: 'x', Visuals: [{ KPIVisual: { VisualId: 'k', VisualContentAltText: 'Total', Title: null } }] }],
    };
    expect(mapped(definition).problems).toEqual([
      { path: 'DataSetIdentifierDeclarations[0].DataSetArn', message: 'is set; remove it: each identifier is bound to the dataset of that name passed to the dashboard' },
      { path: 'DataSetIdentifierDeclarations[1].Identifier', message: 'is missing; name a dataset of bi.datasets' },
      { path: 'DataSetIdentifierDeclarations[1].Name', message: 'is not part of a declaration; a declaration has only an Identifier' },
      { path: 'Options', message: 'is not supported by AWS provider 5.100 (aws_quicksight_analysis and aws_quicksight_dashboard have no such setting); remove it' },
      {
        path: 'Sheets[0].sheet_id',
        message: "is not a member of the QuickSight API's definition (they are PascalCase, as describe-analysis-definition returns them); export the definition from QuickSight or fix the name",
      },
      { path: 'Sheets[0].Visuals[0].KPIVisual.VisualContentAltText', message: 'is not supported by AWS provider 5.100 (aws_quicksight_analysis and aws_quicksight_dashboard have no such setting); remove it' },
      { path: 'Sheets[0].Visuals[0].KPIVisual.Title', message: 'is null; give a value or remove it' },
    ]);
  });

  it('requires declarations', () => {
    expect(mapped({ Sheets: [] }).problems).toEqual([
      { path: 'DataSetIdentifierDeclarations', message: 'is missing or empty; declare each dataset the definition uses: [{ "Identifier": "<dataset name>" }]' },
    ]);
  });
});

describe('definitionReferences', () => {
  it('lists the declared identifiers, each identifier and column used with its path, and the calculated fields', () => {
    const refs = definitionReferences({ ...revenue(), CalculatedFields: [{ DataSetIdentifier: 'daily-revenue', Name: 'aov', Expression: 'sum(revenue) / sum(orders)' }] });
    expect(refs.declared).toEqual(['daily-revenue']);
    expect(refs.calculatedFields).toEqual({ 'daily-revenue': ['aov'] });
    expect(refs.columns.map((c) => c.column)).toEqual(['revenue', 'order_date', 'revenue', 'order_date', 'orders']);
    expect(refs.columns[0]).toEqual({
      identifier: 'daily-revenue',
      column: 'revenue',
      path: 'Sheets[0].Visuals[0].KPIVisual.ChartConfiguration.FieldWells.Values[0].NumericalMeasureField.Column.ColumnName',
    });
    expect(refs.identifiers).toHaveLength(6);
    expect(refs.identifiers[5]).toEqual({ identifier: 'daily-revenue', path: 'CalculatedFields[0].DataSetIdentifier' });
  });
});
