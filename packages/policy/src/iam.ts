/**
 * IAM policies in a normal form, whether they come from an `aws_iam_policy_document` data source
 * in the same stack or from a literal JSON string, and what the rules that read them share:
 * predicates on principals, actions and conditions, and the wording of their messages.
 */
import { StackView, blocks, isExpression, referencedAddress } from './stack-view';

export interface Principal {
  /** `AWS`, `Service`, `Federated`, or `*` (Principal: "*"). */
  readonly type: string;
  readonly identifiers: readonly string[];
}

export interface Condition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

export interface Statement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: readonly Principal[];
  readonly notPrincipals: readonly Principal[];
  readonly conditions: readonly Condition[];
}

/** A policy's statements, or why they cannot be read. */
export type ReadPolicy = { readonly statements: Statement[] } | { readonly unreadable: string };

const asList = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/**
 * Reads the policy in `value`: a reference to `data.aws_iam_policy_document.<name>.json` in the
 * same stack, or a literal JSON document. A document that merges others (`source_json`,
 * `override_json`, `source_policy_documents`, `override_policy_documents`) is unreadable.
 */
export function readPolicy(value: unknown, stack: StackView): ReadPolicy {
  if (value === undefined || value === null || value === '') return { statements: [] };
  const address = referencedAddress(value);
  if (address) {
    const doc = stack.get(address);
    if (!doc || doc.type !== 'data.aws_iam_policy_document') {
      return { unreadable: `it refers to ${address}, which is not an aws_iam_policy_document in this stack` };
    }
    // The deprecated source_json / override_json merge another document into this one, so its
    // own statements are not the policy.
    const merged = ['source_json', 'override_json'].filter((k) => doc.config[k] !== undefined && doc.config[k] !== null);
    if (merged.length > 0) return { unreadable: `${address} merges another document (${merged.join(', ')})` };
    if (doc.config.source_policy_documents || doc.config.override_policy_documents) {
      return { unreadable: `${address} merges other documents (source/override_policy_documents)` };
    }
    return { statements: blocks(doc.config.statement).map(fromDocumentBlock) };
  }
  if (typeof value === 'string' && !isExpression(value)) {
    try {
      return { statements: fromJson(JSON.parse(value)) };
    } catch {
      return { unreadable: 'it is not valid JSON' };
    }
  }
  return { unreadable: 'it is an expression the pack cannot evaluate' };
}

function fromDocumentBlock(b: Record<string, unknown>): Statement {
  const principals = (key: string) =>
    blocks(b[key]).map((p) => ({ type: String(p.type), identifiers: asList(p.identifiers) }));
  return {
    sid: b.sid as string | undefined,
    effect: b.effect === 'Deny' ? 'Deny' : 'Allow',
    actions: asList(b.actions),
    notActions: asList(b.not_actions),
    resources: asList(b.resources),
    notResources: asList(b.not_resources),
    principals: principals('principals'),
    notPrincipals: principals('not_principals'),
    conditions: blocks(b.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: asList(c.values) })),
  };
}

function fromJsonPrincipal(p: unknown): Principal[] {
  if (p === undefined) return [];
  if (p === '*') return [{ type: '*', identifiers: ['*'] }];
  return Object.entries(p as Record<string, unknown>).map(([type, ids]) => ({ type, identifiers: asList(ids) }));
}

function fromJson(doc: unknown): Statement[] {
  const raw = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map((s: Record<string, unknown>) => ({
    sid: s.Sid as string | undefined,
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    actions: asList(s.Action),
    notActions: asList(s.NotAction),
    resources: asList(s.Resource),
    notResources: asList(s.NotResource),
    principals: fromJsonPrincipal(s.Principal),
    notPrincipals: fromJsonPrincipal(s.NotPrincipal),
    conditions: Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(([test, byKey]) =>
      Object.entries(byKey).map(([variable, values]) => ({ test, variable, values: asList(values) })),
    ),
  }));
}

/** True when a principal list lets anyone in (`*`, or AWS `*`). */
export function allowsAnyone(principals: readonly Principal[]): boolean {
  return principals.some((p) => (p.type === '*' || p.type === 'AWS') && p.identifiers.includes('*'));
}

/** True for `*` and service-wide wildcards such as `s3:*`. */
export function isWildcardAction(action: string): boolean {
  return action === '*' || /^[a-z0-9-]+:\*$/i.test(action);
}

/**
 * Actions that read or write data (not metadata): granting them on every resource (`*`) opens
 * every object, record or secret in the account.
 */
export const DATA_ACTIONS: readonly RegExp[] = [
  /^s3:(Get|Put|Delete|Restore)Object/i,
  /^s3:(AbortMultipartUpload|ListMultipartUploadParts|ListBucket)$/i,
  /^kms:(Decrypt|Encrypt|GenerateDataKey.*|ReEncrypt.*)$/i,
  /^dynamodb:(GetItem|BatchGetItem|Query|Scan|PutItem|UpdateItem|DeleteItem|BatchWriteItem|PartiQL.*)$/i,
  /^kinesis:(GetRecords|GetShardIterator|PutRecords?|SubscribeToShard)$/i,
  /^firehose:PutRecord(Batch)?$/i,
  /^sqs:(SendMessage|ReceiveMessage|DeleteMessage)$/i,
  /^sns:Publish$/i,
  /^secretsmanager:GetSecretValue$/i,
  /^glue:(GetTable|GetTables|GetPartition|GetPartitions|BatchGetPartition)$/i,
  /^athena:(StartQueryExecution|GetQueryResults)$/i,
];

/**
 * One concrete action per pattern of {@link DATA_ACTIONS} (a test keeps them in step): what a
 * wildcard action is matched against to tell whether it covers a data action.
 */
export const DATA_ACTION_EXAMPLES: readonly string[] = [
  's3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:RestoreObject',
  's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:ListBucket',
  'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo',
  'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:UpdateItem',
  'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLSelect',
  'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:SubscribeToShard',
  'firehose:PutRecord', 'firehose:PutRecordBatch',
  'sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage',
  'sns:Publish',
  'secretsmanager:GetSecretValue',
  'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition',
  'athena:StartQueryExecution', 'athena:GetQueryResults',
];

/** A case-insensitive regular expression for an IAM wildcard pattern (`*`, `?`). */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * True when `action` is a data action, or a wildcard that covers one: `*`, `<service>:*` of a
 * service with data actions, or a partial wildcard such as `s3:Get*` or `s3:*Object` that matches
 * one of {@link DATA_ACTION_EXAMPLES} (`s3:GetBucket*` matches none).
 */
export function isDataAction(action: string): boolean {
  if (DATA_ACTIONS.some((re) => re.test(action))) return true;
  const service = action.split(':')[0].toLowerCase();
  if (action.endsWith(':*') && DATA_ACTIONS.some((re) => re.source.toLowerCase().startsWith(`^${service}:`))) return true;
  if (!/[*?]/.test(action)) return false;
  const pattern = globToRegExp(action);
  return DATA_ACTION_EXAMPLES.some((example) => pattern.test(example));
}

/** `statement "Sid"`, or `statement 2` (1-based) when it has no sid. */
export function statementLabel(statement: Statement, index: number): string {
  return statement.sid ? `statement ${JSON.stringify(statement.sid)}` : `statement ${index + 1}`;
}

/** The fail message for a policy the pack cannot read; `what` names it, e.g. `its key policy`. */
export function unreadableMessage(what: string, reason: string): string {
  return `${what} cannot be analyzed (${reason}); build it with an aws_iam_policy_document in the same stack (the platform requires analyzable policies)`;
}

/**
 * Operators whose match requires the key to be present and equal (or like) a value. Negated
 * operators, `...IfExists` and `ForAllValues:` also match requests without the key, so they
 * restrict nothing.
 */
const POSITIVE_OPERATOR = /^(ForAnyValue:)?String(Equals|EqualsIgnoreCase|Like)$/i;

/**
 * True when `condition` limits the request to named values of one of `keys` (compared without
 * case, as IAM does): a positive operator and at least one value, none of them rejected by
 * `acceptable`.
 */
export function restricts(condition: Condition, keys: readonly string[], acceptable: (value: string) => boolean = () => true): boolean {
  return (
    POSITIVE_OPERATOR.test(condition.test) &&
    keys.some((k) => k.toLowerCase() === condition.variable.toLowerCase()) &&
    condition.values.length > 0 &&
    condition.values.every(acceptable)
  );
}

/** True for a value with no wildcard (account ids, organization ids, external ids need none). */
export const exact = (value: string): boolean => !/[*?]/.test(value);
