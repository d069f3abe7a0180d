import { ENVIRONMENT_SCHEMA_ID, environmentJsonSchema } from './json-schema';
import { BI_DEFAULTS } from './bi';
import { ATHENA_MIN_CUTOFF_MB, GOVERNANCE_DEFAULTS } from './governance';
import { ML_DEFAULTS } from './ml';
import { ENVIRONMENT_DEFAULTS, LAKE_DEFAULTS, ZONES, ZONE_LIFECYCLE_DEFAULTS } from './schema';

interface JsonSchemaNode {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly properties?: Record<string, JsonSchemaNode>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchemaNode;
  readonly items?: JsonSchemaNode;
  readonly [key: string]: unknown;
}

/** Every object node with declared properties, with its dotted path ('' for the root). */
function objectNodes(node: JsonSchemaNode, path = ''): Array<[string, JsonSchemaNode]> {
  const found: Array<[string, JsonSchemaNode]> = [];
  if (node.properties) {
    found.push([path, node]);
    for (const [key, child] of Object.entries(node.properties)) {
      found.push(...objectNodes(child, path ? `${path}.${key}` : key));
    }
  }
  if (node.items) found.push(...objectNodes(node.items, `${path}[]`));
  return found;
}

const schema = environmentJsonSchema() as JsonSchemaNode;

describe('environmentJsonSchema', () => {
  it('identifies itself with $id, title and the JSON Schema draft', () => {
    expect(schema.$id).toBe(ENVIRONMENT_SCHEMA_ID);
    expect(schema.title).toBe('Data platform environment');
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
  });

  it('is plain JSON, ready to write to environments/schema.json', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('describes every property of every section', () => {
    const undescribed = objectNodes(schema).flatMap(([path, node]) =>
      Object.entries(node.properties ?? {})
        .filter(([, child]) => typeof child.description !== 'string' || child.description.length === 0)
        .map(([key]) => (path ? `${path}.${key}` : key)),
    );
    expect(undescribed).toEqual([]);
    expect(objectNodes(schema).length).toBeGreaterThanOrEqual(7);
  });

  it('rejects unknown keys in every section (additionalProperties: false), as the loader does', () => {
    const open = objectNodes(schema)
      .filter(([, node]) => node.additionalProperties !== false)
      .map(([path]) => path || '(root)');
    expect(open).toEqual([]);
  });

  it('requires only the fields without a default (the file as written, io: input)', () => {
    expect(schema.required).toEqual(['name', 'account', 'region']);
    expect(schema.properties?.state?.required).toEqual(['bucket']);
  });

  it('publishes the documented defaults', () => {
    const top = schema.properties ?? {};
    for (const [key, value] of Object.entries(ENVIRONMENT_DEFAULTS)) expect(top[key].default).toBe(value);
    const lake = top.lake.properties ?? {};
    for (const [key, value] of Object.entries(LAKE_DEFAULTS)) expect(lake[key].default).toBe(value);
    for (const zone of ZONES) {
      const lifecycle = lake.zones.properties?.[zone].properties ?? {};
      for (const [key, value] of Object.entries(ZONE_LIFECYCLE_DEFAULTS)) expect(lifecycle[key].default).toBe(value);
    }
  });

  it('publishes the documented defaults of the governance, bi and ml sections, and no managed tables by default', () => {
    const top = schema.properties ?? {};
    expect(top.lake.properties?.tables.default).toEqual({});
    const governance = top.governance.properties ?? {};
    const persona = (governance.personas.additionalProperties as JsonSchemaNode).properties ?? {};
    expect(governance.hybridAccess.default).toBe(GOVERNANCE_DEFAULTS.hybridAccess);
    expect(persona.assumedBy.default).toEqual(GOVERNANCE_DEFAULTS.assumedBy);
    expect(persona.bytesScannedCutoffMb).toMatchObject({ default: GOVERNANCE_DEFAULTS.bytesScannedCutoffMb, minimum: ATHENA_MIN_CUTOFF_MB });
    const bi = top.bi.properties ?? {};
    const dataset = (bi.datasets.additionalProperties as JsonSchemaNode).properties ?? {};
    expect([bi.namespace.default, bi.vpcConnection.default, dataset.importMode.default]).toEqual([BI_DEFAULTS.namespace, BI_DEFAULTS.vpcConnection, BI_DEFAULTS.importMode]);
    const model = (top.ml.properties?.models.additionalProperties as JsonSchemaNode).properties ?? {};
    for (const [key, value] of Object.entries(ML_DEFAULTS.endpoint)) expect(model.endpoint.properties?.[key].default).toBe(value);
  });

  it('types tags as a map of text to text', () => {
    const tags = schema.properties?.tags;
    expect(tags).toMatchObject({ type: 'object', additionalProperties: { type: 'string' }, propertyNames: { type: 'string' } });
  });

  it('returns a fresh object each call, so a caller may change it', () => {
    const first = environmentJsonSchema() as JsonSchemaNode;
    (first as Record<string, unknown>).title = 'changed';
    expect((environmentJsonSchema() as JsonSchemaNode).title).toBe('Data platform environment');
  });
});
