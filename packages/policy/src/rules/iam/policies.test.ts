import { wildcardResourceService } from './policies';

describe('policy helpers', () => {
  test('tells wildcard resources from named ones', () => {
    const wildcard = ['*', 'arn:aws:s3:::*', 'arn:aws:s3:::*/*', 'arn:aws:kms:eu-west-1:111111111111:key/*', 'arn:aws:dynamodb:*:*:table/*', 'arn:aws:sqs:eu-west-1:111111111111:*', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:*'];
    const named = ['arn:aws:s3:::raw/*', 'arn:aws:s3:::raw', 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders', 'arn:aws:glue:eu-west-1:111111111111:table/raw/*', '${aws_s3_bucket.raw.arn}/*'];
    expect(wildcard.map(wildcardResourceService)).toEqual(['*', 's3', 's3', 'kms', 'dynamodb', 'sqs', 'secretsmanager']);
    expect(named.map(wildcardResourceService)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
