import { Rule, fail, pass } from '../../rule';
import { isSet } from '../../stack-view';

/** Every Glue crawler runs under a security configuration, which encrypts its CloudWatch logs. */
export const glueCrawlerSecurityConfiguration: Rule = {
  id: 'glue-crawler-security-configuration',
  severity: 'medium',
  resourceTypes: ['aws_glue_crawler'],
  description: 'A Glue crawler sets security_configuration.',
  rationale: 'Crawler logs name every path and table it reads and the schema it infers; a security configuration encrypts them with our key.',
  check(crawler) {
    if (!isSet(crawler.config.security_configuration)) {
      return fail('has no security_configuration, so its logs are not encrypted with our key; set security_configuration to the KMS-encrypting Glue security configuration');
    }
    return pass();
  },
};
