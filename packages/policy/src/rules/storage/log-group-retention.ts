import { Rule, fail, notApplicable, pass } from '../../rule';

/** Every log group expires its events: `retention_in_days` set, and not 0 (never expire). */
export const logGroupRetention: Rule = {
  id: 'log-group-retention',
  severity: 'medium',
  resourceTypes: ['aws_cloudwatch_log_group'],
  description: 'A log group has a retention period (retention_in_days set and not 0).',
  rationale:
    'Without retention, log events are kept forever: storage cost grows without bound and personal data in logs outlives every retention commitment.',
  check(group) {
    // The DELIVERY class keeps events for a fixed short time; retention_in_days is ignored there.
    if (group.config.log_group_class === 'DELIVERY') {
      return notApplicable('a DELIVERY-class log group keeps events for a fixed short period that retention_in_days cannot change');
    }
    const days = group.config.retention_in_days;
    if (days === undefined || days === null) {
      return fail('has no retention_in_days (events never expire); set retention_in_days to the environment\'s log retention');
    }
    if (Number(days) === 0) {
      return fail('has retention_in_days 0 (events never expire); set retention_in_days to the environment\'s log retention');
    }
    return pass();
  },
};
