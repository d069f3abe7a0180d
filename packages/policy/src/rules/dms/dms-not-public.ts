import { Rule, fail, pass } from '../../rule';

/**
 * A DMS replication instance has no public IP. The DMS API defaults `PubliclyAccessible` to true
 * and the provider leaves the argument to AWS when unset, so it must be written as false.
 * @see https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateReplicationInstance.html
 */
export const dmsNotPublic: Rule = {
  id: 'dms-not-public',
  severity: 'critical',
  resourceTypes: ['aws_dms_replication_instance'],
  description: 'A DMS replication instance sets publicly_accessible to false.',
  rationale:
    'A replication instance holds credentials for, and network paths to, the source and target databases; a public IP puts it on the internet, guarded only by its security groups.',
  check(instance) {
    const value = instance.config.publicly_accessible;
    if (value === false || value === 'false') return pass();
    if (value === undefined) {
      return fail('does not set publicly_accessible, and DMS makes an instance public by default; set publicly_accessible to false');
    }
    return fail(`is publicly accessible (publicly_accessible ${String(value)}); set publicly_accessible to false`);
  },
};
