import { Rule, fail, pass } from '../../rule';
import { isSet } from '../../stack-view';

/**
 * Every Glue job runs under a security configuration, which is what encrypts the data it writes
 * to S3, its CloudWatch logs and its job bookmarks (`glue-security-configuration-kms` checks that
 * the configuration uses our key).
 */
export const glueJobSecurityConfiguration: Rule = {
  id: 'glue-job-security-configuration',
  severity: 'high',
  resourceTypes: ['aws_glue_job'],
  description: 'A Glue job sets security_configuration.',
  rationale:
    'Without a security configuration a job writes its logs and job bookmarks (which name the data it read) without our key, and its S3 writes rely on each bucket default alone.',
  check(job) {
    if (!isSet(job.config.security_configuration)) {
      return fail('has no security_configuration, so its logs and job bookmarks are not encrypted with our key; set security_configuration to the KMS-encrypting Glue security configuration');
    }
    return pass();
  },
};
