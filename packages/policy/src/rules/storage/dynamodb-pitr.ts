import { Rule, fail, pass } from '../../rule';
import { block, blocks, isTrue } from '../../stack-view';

/** Every DynamoDB table, and each of its global-table replicas, has point-in-time recovery. */
export const dynamodbPitr: Rule = {
  id: 'dynamodb-pitr',
  severity: 'medium',
  resourceTypes: ['aws_dynamodb_table'],
  description: 'A DynamoDB table (and each replica) has point-in-time recovery enabled.',
  rationale:
    'Point-in-time recovery restores a table to any second of the last 35 days after a bad write, a faulty import or an accidental delete; without it, what is lost is gone.',
  check(table) {
    if (!isTrue(block(table.config.point_in_time_recovery)?.enabled)) {
      return fail('has no point-in-time recovery; set point_in_time_recovery { enabled = true }');
    }
    // A replica's PITR is its own flag (default false), not inherited from the table.
    const regions = blocks(table.config.replica)
      .filter((r) => !isTrue(r.point_in_time_recovery))
      .map((r) => String(r.region_name));
    if (regions.length > 0) {
      return fail(`has replicas without point-in-time recovery (${regions.join(', ')}); set point_in_time_recovery = true on each replica`);
    }
    return pass();
  },
};
