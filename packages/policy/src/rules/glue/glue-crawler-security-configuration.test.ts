import { runRule, stackOf } from '../../testing';
import { glueCrawlerSecurityConfiguration } from './glue-crawler-security-configuration';

const ADDRESS = 'aws_glue_crawler.raw';
const crawler = (config: Record<string, unknown>) =>
  stackOf({ [ADDRESS]: { name: 'raw', database_name: 'raw', role: '${aws_iam_role.crawler.arn}', s3_target: [{ path: 's3://raw/orders/' }], ...config } });

describe('glue-crawler-security-configuration', () => {
  test('passes a crawler that runs under a security configuration', () => {
    const stack = crawler({ security_configuration: '${aws_glue_security_configuration.processing.name}' });
    expect(runRule(glueCrawlerSecurityConfiguration, stack, ADDRESS)).toEqual({ status: 'pass' });
  });

  test('fails a crawler without security_configuration', () => {
    expect(runRule(glueCrawlerSecurityConfiguration, crawler({}), ADDRESS)).toEqual({
      status: 'fail',
      message: 'has no security_configuration, so its logs are not encrypted with our key; set security_configuration to the KMS-encrypting Glue security configuration',
    });
  });
});
