import { PROVIDER_PACKAGE, namespaceOf, rewriteToRootImports } from './baseline';

describe('benchmark baseline rewrite', () => {
  test('names the root index namespace of a provider module in camel case', () => {
    expect(namespaceOf('s3-bucket-versioning')).toBe('s3BucketVersioning');
    expect(namespaceOf('data-aws-iam-policy-document')).toBe('dataAwsIamPolicyDocument');
    expect(namespaceOf('provider')).toBe('provider');
  });

  test('turns deep imports into root imports that keep values, types and aliases', () => {
    const out = rewriteToRootImports(
      "import { S3Bucket, S3BucketConfig as Cfg } from '@cdktf/provider-aws/lib/s3-bucket';\nimport { x } from 'other';",
    );
    expect(out).toBe(
      [
        `import { s3Bucket as __aws_s3Bucket } from '${PROVIDER_PACKAGE}';`,
        'import S3Bucket = __aws_s3Bucket.S3Bucket;',
        'import Cfg = __aws_s3Bucket.S3BucketConfig;',
        "import { x } from 'other';",
      ].join('\n'),
    );
  });
});
