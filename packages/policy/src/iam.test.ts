import { DATA_ACTIONS, DATA_ACTION_EXAMPLES, allowsAnyone, isDataAction, isWildcardAction, readPolicy } from './iam';
import { stackOf } from './testing';

describe('reading IAM policies', () => {
  test('reads an aws_iam_policy_document of the same stack into statements', () => {
    const stack = stackOf({
      'data.aws_iam_policy_document.p': {
        statement: [
          {
            sid: 'Deny',
            effect: 'Deny',
            actions: ['s3:*'],
            resources: ['${aws_s3_bucket.b.arn}'],
            principals: [{ type: 'AWS', identifiers: ['*'] }],
            condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
          },
          { actions: ['s3:GetObject'], resources: ['x'] },
        ],
      },
    });
    const read = readPolicy('${data.aws_iam_policy_document.p.json}', stack);
    expect(read).toEqual({
      statements: [
        {
          sid: 'Deny', effect: 'Deny', actions: ['s3:*'], notActions: [], resources: ['${aws_s3_bucket.b.arn}'], notResources: [],
          principals: [{ type: 'AWS', identifiers: ['*'] }], notPrincipals: [],
          conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
        { sid: undefined, effect: 'Allow', actions: ['s3:GetObject'], notActions: [], resources: ['x'], notResources: [], principals: [], notPrincipals: [], conditions: [] },
      ],
    });
  });

  test('reads a literal JSON policy, including Principal "*" and string forms', () => {
    const json = JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': '1' } } },
    });
    expect(readPolicy(json, stackOf({}))).toEqual({
      statements: [
        {
          sid: undefined, effect: 'Allow', actions: ['sqs:SendMessage'], notActions: [], resources: ['*'], notResources: [],
          principals: [{ type: '*', identifiers: ['*'] }], notPrincipals: [],
          conditions: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['1'] }],
        },
      ],
    });
  });

  test('says why a policy cannot be read', () => {
    const stack = stackOf({ 'data.aws_iam_policy_document.merged': { source_policy_documents: ['a'] } });
    expect(readPolicy('${jsonencode({})}', stack)).toEqual({ unreadable: 'it is an expression the pack cannot evaluate' });
    expect(readPolicy('{not json', stack)).toEqual({ unreadable: 'it is not valid JSON' });
    expect(readPolicy('${data.aws_iam_policy_document.other.json}', stack)).toEqual({
      unreadable: 'it refers to data.aws_iam_policy_document.other, which is not an aws_iam_policy_document in this stack',
    });
    expect(readPolicy('${data.aws_iam_policy_document.merged.json}', stack)).toEqual({
      unreadable: 'data.aws_iam_policy_document.merged merges other documents (source/override_policy_documents)',
    });
  });

  test('cannot read a document that merges another through the deprecated source_json or override_json', () => {
    const stack = stackOf({
      'data.aws_iam_policy_document.base': { statement: [{ actions: ['s3:GetObject'], resources: ['*'] }] },
      'data.aws_iam_policy_document.source': { source_json: '${data.aws_iam_policy_document.base.json}', statement: [] },
      'data.aws_iam_policy_document.both': {
        source_json: '${data.aws_iam_policy_document.base.json}',
        override_json: '{"Statement":[]}',
        source_policy_documents: ['${data.aws_iam_policy_document.base.json}'],
      },
    });
    expect(readPolicy('${data.aws_iam_policy_document.source.json}', stack)).toEqual({
      unreadable: 'data.aws_iam_policy_document.source merges another document (source_json)',
    });
    expect(readPolicy('${data.aws_iam_policy_document.both.json}', stack)).toEqual({
      unreadable: 'data.aws_iam_policy_document.both merges another document (source_json, override_json)',
    });
  });

  test('an absent policy has no statements', () => {
    expect(readPolicy(undefined, stackOf({}))).toEqual({ statements: [] });
  });
});

describe('IAM predicates', () => {
  test('recognises principals that let anyone in', () => {
    expect(allowsAnyone([{ type: '*', identifiers: ['*'] }])).toBe(true);
    expect(allowsAnyone([{ type: 'AWS', identifiers: ['*'] }])).toBe(true);
    expect(allowsAnyone([{ type: 'Service', identifiers: ['glue.amazonaws.com'] }])).toBe(false);
    expect(allowsAnyone([{ type: 'AWS', identifiers: ['arn:aws:iam::111111111111:root'] }])).toBe(false);
  });

  test('recognises "*" and service-wide wildcards', () => {
    expect(isWildcardAction('*')).toBe(true);
    expect(isWildcardAction('s3:*')).toBe(true);
    expect(isWildcardAction('s3:Get*')).toBe(false);
    expect(isWildcardAction('s3:GetObject')).toBe(false);
  });

  test('recognises data actions, directly or through a wildcard of their service', () => {
    expect(isDataAction('s3:GetObject')).toBe(true);
    expect(isDataAction('kms:Decrypt')).toBe(true);
    expect(isDataAction('kms:GenerateDataKeyWithoutPlaintext')).toBe(true);
    expect(isDataAction('dynamodb:*')).toBe(true);
    expect(isDataAction('*')).toBe(true);
    expect(isDataAction('s3:GetBucketLocation')).toBe(false);
    expect(isDataAction('logs:CreateLogStream')).toBe(false);
    expect(isDataAction('cloudwatch:*')).toBe(false);
  });

  test('every data action example is a data action, and every DATA_ACTIONS pattern has an example', () => {
    expect(DATA_ACTION_EXAMPLES.filter((a) => !isDataAction(a))).toEqual([]);
    expect(DATA_ACTIONS.filter((re) => !DATA_ACTION_EXAMPLES.some((a) => re.test(a))).map(String)).toEqual([]);
  });

  test('finds data actions behind partial wildcards', () => {
    expect(['s3:Get*', 's3:*Object', 'dynamodb:Batch*', 'kms:Re*'].filter(isDataAction)).toEqual(['s3:Get*', 's3:*Object', 'dynamodb:Batch*', 'kms:Re*']);
    expect(['s3:GetBucket*', 'glue:GetDatabase*', 'kms:List*'].filter(isDataAction)).toEqual([]);
  });

  test('counts a wildcard as a data action when it matches a known one, wherever the * or ? stands', () => {
    expect(['s3:List*', 's3:GetObjec?', '*:GetObject', 'secretsmanager:Get*'].filter(isDataAction)).toEqual(['s3:List*', 's3:GetObjec?', '*:GetObject', 'secretsmanager:Get*']);
    expect(['s3:ListAllMyBuckets*', 's3:?etBucketPolicy', 'iam:Get*', 'glue:*Database'].filter(isDataAction)).toEqual([]);
  });
});
