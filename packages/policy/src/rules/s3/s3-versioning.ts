import { Rule, fail, pass } from '../../rule';
import { block } from '../../stack-view';
import { companionsOf } from './companions';

/** Every bucket keeps old versions of its objects (the lifecycle removes them after a while). */
export const s3Versioning: Rule = {
  id: 's3-versioning',
  severity: 'medium',
  resourceTypes: ['aws_s3_bucket'],
  description: 'A bucket has an aws_s3_bucket_versioning with versioning_configuration.status "Enabled".',
  rationale: 'Versioning turns an overwrite or delete, by mistake, a bad job or ransomware, into a recoverable event.',
  check(bucket, stack) {
    const configs = companionsOf(stack, 'aws_s3_bucket_versioning', bucket);
    if (configs.length === 0) return fail('has no aws_s3_bucket_versioning; add one with versioning_configuration.status "Enabled"');
    for (const config of configs) {
      const status = block(config.config.versioning_configuration)?.status;
      if (status !== 'Enabled') {
        return fail(`is not versioned (${config.address} has status ${JSON.stringify(status ?? null)}); set versioning_configuration.status to "Enabled"`);
      }
    }
    return pass();
  },
};
