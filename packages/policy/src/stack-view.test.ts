import { StackView, block, blocks, isExpression, isSet, isTrue, referencedAddress, referencedAttribute, referencedAttributes, refersTo } from './stack-view';
import { TEST_CONTEXT } from './testing';

const json = {
  resource: {
    aws_s3_bucket: { raw: { '//': { metadata: { path: 'dev-lake/lake/raw/bucket' } }, bucket: 'raw' }, other: { bucket: 'o' } },
    aws_s3_bucket_versioning: { raw_v: { bucket: '${aws_s3_bucket.raw.id}' }, other_v: { bucket: '${aws_s3_bucket.other.id}' } },
  },
  data: { aws_iam_policy_document: { p: { statement: [] } } },
};

describe('StackView', () => {
  const view = new StackView('dev-lake', json, TEST_CONTEXT);

  test('lists resources and data sources with their addresses, construct paths and config without metadata', () => {
    expect(view.resources.map((r) => r.address)).toEqual([
      'aws_s3_bucket.raw', 'aws_s3_bucket.other', 'aws_s3_bucket_versioning.raw_v', 'aws_s3_bucket_versioning.other_v', 'data.aws_iam_policy_document.p',
    ]);
    expect(view.get('aws_s3_bucket.raw')).toEqual({
      type: 'aws_s3_bucket', name: 'raw', address: 'aws_s3_bucket.raw', path: 'dev-lake/lake/raw/bucket', config: { bucket: 'raw' },
    });
    expect(view.get('aws_s3_bucket.other')?.path).toBe('dev-lake/other');
    expect(view.ofType('data.aws_iam_policy_document').map((r) => r.name)).toEqual(['p']);
  });

  test('finds the companion resources that refer to a resource', () => {
    const raw = view.get('aws_s3_bucket.raw');
    if (!raw) throw new Error('missing');
    expect(view.referencing('aws_s3_bucket_versioning', 'bucket', raw).map((r) => r.name)).toEqual(['raw_v']);
    expect(view.resolveReference('${aws_s3_bucket.raw.arn}')).toBe(raw);
    expect(view.resolveReference('${aws_s3_bucket.gone.arn}')).toBeUndefined();
  });
});

describe('reference helpers', () => {
  test('refersTo matches whole resource addresses only', () => {
    expect(refersTo('${aws_s3_bucket.raw.id}', 'aws_s3_bucket.raw')).toBe(true);
    expect(refersTo('${aws_s3_bucket.raw_2.id}', 'aws_s3_bucket.raw')).toBe(false);
    expect(refersTo(['x', '${aws_s3_bucket.raw.arn}/*'], 'aws_s3_bucket.raw')).toBe(true);
  });

  test('referencedAddress reads whole-value references, including data sources', () => {
    expect(referencedAddress('${aws_kms_key.lake_key.arn}')).toBe('aws_kms_key.lake_key');
    expect(referencedAddress('${data.aws_iam_policy_document.p.json}')).toBe('data.aws_iam_policy_document.p');
    expect(referencedAddress('arn:aws:kms:x')).toBeUndefined();
    expect(referencedAddress('${aws_s3_bucket.b.arn}/*')).toBeUndefined();
  });

  test('block, blocks, isExpression and isTrue read Terraform JSON shapes', () => {
    expect(block([{ a: 1 }])).toEqual({ a: 1 });
    expect(block({ a: 1 })).toEqual({ a: 1 });
    expect(block(undefined)).toBeUndefined();
    expect(blocks({ a: 1 })).toEqual([{ a: 1 }]);
    expect(blocks(undefined)).toEqual([]);
    expect(isExpression('${var.x}')).toBe(true);
    expect(isExpression('literal')).toBe(false);
    expect(isTrue('true')).toBe(true);
    expect(isTrue(false)).toBe(false);
  });
});

describe('attribute references', () => {
  const secrets = { types: ['aws_secretsmanager_secret', 'aws_secretsmanager_secret_version'], attributes: ['arn', 'secret_string'] };
  const remote = (output: string) => `\${data.terraform_remote_state.cross-stack-reference-input-dev-lake.outputs.cross-stack-output-${output}}`;

  test('referencedAttribute reads a whole-value reference within the stack, to a resource or a data source', () => {
    expect(referencedAttribute('${aws_secretsmanager_secret.db.arn}', secrets)).toEqual({ type: 'aws_secretsmanager_secret', attribute: 'arn' });
    expect(referencedAttribute('${data.aws_secretsmanager_secret.db.name}', secrets)).toEqual({ type: 'aws_secretsmanager_secret', attribute: 'name' });
    expect(referencedAttribute('${aws_kms_key.lake_key.arn}', secrets)).toBeUndefined();
    expect(referencedAttribute('${aws_secretsmanager_secret.db.arn}/x', secrets)).toBeUndefined();
  });

  test('referencedAttribute reads a cross-stack output by the longest known type and attribute', () => {
    expect(referencedAttribute(remote('aws_secretsmanager_secretdbarn'), secrets)).toEqual({ type: 'aws_secretsmanager_secret', attribute: 'arn' });
    expect(referencedAttribute(remote('aws_secretsmanager_secret_versiondbsecret_string'), secrets)).toEqual({
      type: 'aws_secretsmanager_secret_version',
      attribute: 'secret_string',
    });
    expect(referencedAttribute(remote('dataaws_secretsmanager_secretdbarn'), secrets)).toEqual({ type: 'aws_secretsmanager_secret', attribute: 'arn' });
    expect(referencedAttribute(remote('aws_secretsmanager_secretdbname'), secrets)).toBeUndefined();
    expect(referencedAttribute(remote('aws_kms_keylake_keyarn'), secrets)).toBeUndefined();
  });

  test('referencedAttributes finds every reference inside an expression, same-stack ones first', () => {
    const value = `\${jsondecode(data.aws_secretsmanager_secret_version.db.secret_string)["password"]}:${remote('aws_secretsmanager_secretdbarn')}`;
    expect(referencedAttributes(value, secrets)).toEqual([
      { type: 'aws_secretsmanager_secret_version', attribute: 'secret_string' },
      { type: 'aws_secretsmanager_secret', attribute: 'arn' },
    ]);
    expect(referencedAttributes('literal', secrets)).toEqual([]);
    expect(referencedAttributes(undefined, secrets)).toEqual([]);
  });
});

describe('isSet', () => {
  test('accepts non-empty strings and rejects everything else', () => {
    expect(isSet('${aws_kms_key.lake_key.arn}')).toBe(true);
    expect(isSet('')).toBe(false);
    expect(isSet('  ')).toBe(false);
    expect(isSet(undefined)).toBe(false);
    expect(isSet(42)).toBe(false);
  });
});
