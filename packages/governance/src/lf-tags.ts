import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { LakeformationLfTag } from '@cdktf/provider-aws/lib/lakeformation-lf-tag';
import { LakeformationResourceLfTags } from '@cdktf/provider-aws/lib/lakeformation-resource-lf-tags';
import { LF_TAG_KEY_RE, LF_TAG_VALUE_RE, Validator, stateful } from '@data-platform/core';
import { LakeFormationSettings } from './lake-formation-settings';

/**
 * Most values one LF-tag may have.
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-notes.html
 */
export const LF_TAG_MAX_VALUES = 1000;

/**
 * Longest LF-tag key accepted: the tag's Terraform address, `governance_<key>_lf_tag`, has at most
 * 64 characters (core's `stateful()`), although Lake Formation would take 128.
 */
export const LF_TAG_MAX_KEY_LENGTH = 64 - 'governance_'.length - '_lf_tag'.length;

/** The pinned address of the LF-tag `key` (without the resource type). */
const tagAddress = (key: string) => `governance_${key.replace(/-/g, '_')}_lf_tag`;

/** Column names Glue stores and Athena reads without quoting (as `governance.tables.*.columns` keys). */
const COLUMN_RE = /^[a-z_][a-z0-9_]{0,127}$/;

/** LF-tags assigned to one resource: one value per tag key, e.g. `{ domain: 'sales', sensitivity: 'internal' }`. */
export type LfTagAssignment = Readonly<Record<string, string>>;

/** LF-tags of a catalog database (a zone database); its tables inherit them. */
export interface LfTagDatabaseAssignment {
  /** The database tagged. */
  readonly database: GlueCatalogDatabase;
  /** Its tags: every key declared, every value one of the key's values. */
  readonly tags: LfTagAssignment;
}

/** LF-tags of a catalog table and of single columns of it. */
export interface LfTagTableAssignment {
  /** The table tagged. */
  readonly table: GlueCatalogTable;
  /**
   * Tags of the table, overriding its database's for the keys set here.
   * @default none (the table inherits its database's tags)
   */
  readonly tags?: LfTagAssignment;
  /**
   * Tags of single columns by column name, overriding the table's for the keys set, e.g.
   * `{ customer_id: { sensitivity: 'pii' } }`.
   * @default none
   */
  readonly columns?: Readonly<Record<string, LfTagAssignment>>;
}

/** Props of {@link LfTags}. */
export interface LfTagsProps {
  /** The LF-tags and their allowed values (`governance.tags`), e.g. `{ sensitivity: ['public', 'internal', 'pii'] }`. */
  readonly tags: Readonly<Record<string, readonly string[]>>;
  /**
   * The account's Lake Formation settings: in the same stack, the tags are created once the
   * administrators (the deploy role among them) are in place.
   */
  readonly settings: LakeFormationSettings;
  /**
   * Tag assignments to databases (`governance.databases`, one per zone database).
   * @default none
   */
  readonly databases?: readonly LfTagDatabaseAssignment[];
  /**
   * Tag assignments to tables and their columns (`governance.tables`).
   * @default none
   */
  readonly tables?: readonly LfTagTableAssignment[];
}

/**
 * The account's LF-tags and their assignments to catalog databases, tables and columns: the
 * vocabulary tag-based grants ({@link Persona}) are written in.
 *
 * - One `aws_lakeformation_lf_tag` per key, with its values.
 * - One `aws_lakeformation_resource_lf_tags` per tagged database, per tagged table and per tagged
 *   column (`table_with_columns` with that one column), each tag key once with its value. A table
 *   inherits its database's tags and a column its table's; an assignment overrides the inherited
 *   value of the keys it sets.
 * - Every assignment names the tag resources of its keys, so tags exist before they are assigned.
 * - The tags depend on the Lake Formation settings when these are in the same stack
 *   ({@link LakeFormationSettings.after}): only an administrator may create LF-tags, and in a
 *   single stack nothing else orders them after the settings that make the deploy role one.
 *
 * Validated before anything is created: keys and values of the tags, and every assigned key and
 * value against the declared ones; no resource or column tagged twice.
 *
 * The LF-tags are stateful: deleting one removes it from every resource it is assigned to,
 * including those tagged outside this code (tables crawlers created, tags data stewards set), and
 * no re-apply restores those. Their addresses are pinned to
 * `aws_lakeformation_lf_tag.governance_<key>_lf_tag` (dashes in the key become underscores), and a
 * protected environment refuses to destroy them. Assignments are not stateful: applying restores them.
 *
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/tag-based-access-control.html
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html
 */
export class LfTags extends Construct {
  /** The tag resources by key; grants on tag expressions depend on them. */
  readonly tags: Readonly<Record<string, LakeformationLfTag>>;
  /** The declared keys and their values, for checking grant expressions. */
  readonly declared: Readonly<Record<string, readonly string[]>>;
  /** Every tag assignment (databases, tables, columns). */
  readonly assignments: readonly LakeformationResourceLfTags[];

  constructor(scope: Construct, id: string, props: LfTagsProps) {
    super(scope, id);
    const databases = props.databases ?? [];
    const tables = props.tables ?? [];
    checkProps(new Validator(`LfTags ${this.node.path}`), props.tags, databases, tables).throwIfAny();
    this.declared = Object.fromEntries(Object.entries(props.tags).map(([key, values]) => [key, [...values]]));

    const tags: Record<string, LakeformationLfTag> = {};
    for (const [key, values] of Object.entries(props.tags)) {
      tags[key] = stateful(new LakeformationLfTag(this, `tag-${key}`, { key, values: [...values], dependsOn: props.settings.after(this) }), tagAddress(key));
    }
    this.tags = tags;

    // The tag's key as a reference, so each assignment is created after the tags it assigns.
    const lfTag = (assignment: LfTagAssignment) => Object.entries(assignment).map(([key, value]) => ({ key: tags[key].key, value }));
    const assignments: LakeformationResourceLfTags[] = [];
    for (const { database, tags: assigned } of databases) {
      assignments.push(new LakeformationResourceLfTags(this, `database-${database.friendlyUniqueId}`, {
        database: { name: database.name },
        lfTag: lfTag(assigned),
      }));
    }
    for (const { table, tags: assigned = {}, columns = {} } of tables) {
      const key = table.friendlyUniqueId;
      if (Object.keys(assigned).length > 0) {
        assignments.push(new LakeformationResourceLfTags(this, `table-${key}`, {
          table: { databaseName: table.databaseName, name: table.name },
          lfTag: lfTag(assigned),
        }));
      }
      for (const [column, columnTags] of Object.entries(columns)) {
        assignments.push(new LakeformationResourceLfTags(this, `table-${key}-column-${column}`, {
          tableWithColumns: { databaseName: table.databaseName, name: table.name, columnNames: [column] },
          lfTag: lfTag(columnTags),
        }));
      }
    }
    this.assignments = assignments;
  }
}

/** Records problems with the tags and assignments of an LfTags (values still tokens are skipped). */
function checkProps(
  v: Validator,
  tags: Readonly<Record<string, readonly string[]>>,
  databases: readonly LfTagDatabaseAssignment[],
  tables: readonly LfTagTableAssignment[],
): Validator {
  const known = (value: unknown) => !Token.isUnresolved(value);
  const addresses = new Map<string, string>();
  for (const [key, values] of Object.entries(tags)) {
    if (!LF_TAG_KEY_RE.test(key)) {
      v.add(`tags.${key}`, `has the key ${JSON.stringify(key)}; use an LF-tag key of lowercase letters, digits, "_" and "-", starting with a letter`);
    } else if (key.length > LF_TAG_MAX_KEY_LENGTH) {
      v.add(`tags.${key}`, `has a key of ${key.length} characters; use at most ${LF_TAG_MAX_KEY_LENGTH}, so its Terraform address ${tagAddress('<key>')} has at most 64`);
    } else {
      const other = addresses.get(tagAddress(key));
      if (other !== undefined) v.add(`tags.${key}`, `differs from the key ${other} only in "-" and "_", so both would have the address ${tagAddress(key)}; rename one of them`);
      addresses.set(tagAddress(key), key);
    }
    if (values.length === 0) v.add(`tags.${key}`, 'has no values; list at least one (e.g. [public, internal, pii])');
    if (values.length > LF_TAG_MAX_VALUES) v.add(`tags.${key}`, `has ${values.length} values; use at most ${LF_TAG_MAX_VALUES} (Lake Formation's limit per tag)`);
    values.forEach((value, i) => {
      if (!known(value)) return;
      if (!LF_TAG_VALUE_RE.test(value)) v.add(`tags.${key}[${i}]`, `is ${JSON.stringify(value)}; use an LF-tag value of lowercase letters, digits, "_", "." and "-"`);
      else if (values.indexOf(value) !== i) v.add(`tags.${key}[${i}]`, `is ${JSON.stringify(value)} again; list each value once`);
    });
  }

  const checkAssignment = (path: string, assignment: LfTagAssignment) => {
    for (const [key, value] of Object.entries(assignment)) {
      const values = tags[key];
      if (values === undefined) {
        v.add(`${path}.${key}`, `is not a declared LF-tag (tags: ${Object.keys(tags).join(', ') || 'none'}); declare it in governance.tags or remove it`);
      } else if (known(value) && !values.includes(value)) {
        v.add(`${path}.${key}`, `is ${JSON.stringify(value)}; use one of the values of the LF-tag ${key}: ${values.join(', ')}`);
      }
    }
  };

  const databaseIds = new Map<string, number>();
  databases.forEach(({ database, tags: assigned }, i) => {
    const earlier = databaseIds.get(database.friendlyUniqueId);
    if (earlier !== undefined) v.add(`databases[${i}].database`, `is ${database.node.path} again (databases[${earlier}]); assign all of a database's tags at once`);
    else databaseIds.set(database.friendlyUniqueId, i);
    if (Object.keys(assigned).length === 0) v.add(`databases[${i}].tags`, 'is empty; assign at least one tag, or leave the database out');
    checkAssignment(`databases[${i}].tags`, assigned);
  });

  const tableIds = new Map<string, number>();
  tables.forEach(({ table, tags: assigned = {}, columns = {} }, i) => {
    const earlier = tableIds.get(table.friendlyUniqueId);
    if (earlier !== undefined) v.add(`tables[${i}].table`, `is ${table.node.path} again (tables[${earlier}]); assign all of a table's tags at once`);
    else tableIds.set(table.friendlyUniqueId, i);
    if (Object.keys(assigned).length === 0 && Object.keys(columns).length === 0) {
      v.add(`tables[${i}]`, 'assigns no tags; set tags or columns, or leave the table out');
    }
    checkAssignment(`tables[${i}].tags`, assigned);
    for (const [column, columnTags] of Object.entries(columns)) {
      if (!COLUMN_RE.test(column)) v.add(`tables[${i}].columns.${column}`, 'is not a column name; use the lowercase name of a column of the table');
      if (Object.keys(columnTags).length === 0) v.add(`tables[${i}].columns.${column}`, 'is empty; assign at least one tag, or leave the column out');
      checkAssignment(`tables[${i}].columns.${column}`, columnTags);
    }
  });
  return v;
}
