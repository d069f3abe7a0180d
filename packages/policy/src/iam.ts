/**
 * IAM policies in a normal form, whether they come from an `aws_iam_policy_document` data source
 * in the same stack or from a literal JSON string.
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
 * same stack, or a literal JSON document.
 */
export function readPolicy(value: unknown, stack: StackView): ReadPolicy {
  if (value === undefined || value === null || value === '') return { statements: [] };
  const address = referencedAddress(value);
  if (address) {
    const doc = stack.get(address);
    if (!doc || doc.type !== 'data.aws_iam_policy_document') {
      return { unreadable: `it refers to ${address}, which is not an aws_iam_policy_document in this stack` };
    }
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

/** True when `action` (or the wildcard it is) covers a data action. */
export function isDataAction(action: string): boolean {
  if (action === '*') return true;
  const service = action.split(':')[0].toLowerCase();
  if (action.endsWith(':*')) return DATA_ACTIONS.some((re) => re.source.toLowerCase().startsWith(`^${service}:`));
  return DATA_ACTIONS.some((re) => re.test(action));
}
