/** Glue's schedules: cron only, at most every 5 minutes; shared by crawlers and workflow triggers. */
import { scheduleProblem } from '@data-platform/core';

/** Glue's shortest schedule interval (crawlers and triggers), in minutes. */
export const GLUE_MIN_SCHEDULE_MINUTES = 5;

/** The Glue schedule for a platform schedule expression, or what keeps it from being one. */
export type GlueScheduleResult = { readonly cron: string; readonly problem?: undefined } | { readonly problem: string; readonly cron?: undefined };

/**
 * Converts a platform schedule (`rate(...)` or `cron(...)`, see core's `scheduleProblem`) to the
 * `cron(...)` expression Glue crawler and trigger schedules take (Glue has no rate expressions).
 *
 * - A `cron(...)` is kept as it is, unless it fires more often than every
 *   {@link GLUE_MIN_SCHEDULE_MINUTES} minutes (Glue's limit).
 * - A rate becomes a cron with the same even interval, anchored at UTC: 5, 6, 10, 12, 15, 20 or
 *   30 minutes (`cron(0/15 * * * ? *)`), 1, 2, 3, 4, 6, 8 or 12 hours (`cron(0 0/6 * * ? *)`,
 *   `cron(0 * * * ? *)` for one hour), 1 day (`cron(0 0 * * ? *)`, midnight UTC) and 7 days
 *   (`cron(0 0 ? * SUN *)`, Sundays at midnight UTC). A rate runs from its creation time; the
 *   cron runs at those fixed UTC times instead.
 * - Other rates (`rate(45 minutes)`, `rate(5 hours)`, `rate(2 days)`) have no cron with an even
 *   interval (cron steps restart every hour, day or month) and are refused, as are rates under
 *   5 minutes.
 *
 * Problems read after the received value: `is "rate(2 minutes)", which <problem>`.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/monitor-data-warehouse-schedule.html
 */
export function glueSchedule(expression: string): GlueScheduleResult {
  const general = scheduleProblem(expression);
  if (general) return { problem: general };
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (!rate) return cronProblem(expression);
  const perUnit = { minute: 1, hour: 60, day: 1440 } as const;
  const minutes = Number(rate[1]) * perUnit[rate[2] as keyof typeof perUnit];
  if (minutes < GLUE_MIN_SCHEDULE_MINUTES) {
    return { problem: `runs more often than Glue allows (every ${GLUE_MIN_SCHEDULE_MINUTES} minutes at most); use "rate(${GLUE_MIN_SCHEDULE_MINUTES} minutes)" or longer` };
  }
  if (minutes < 60 && 60 % minutes === 0) return { cron: `cron(0/${minutes} * * * ? *)` };
  if (minutes === 60) return { cron: 'cron(0 * * * ? *)' };
  if (minutes < 1440 && minutes % 60 === 0 && 24 % (minutes / 60) === 0) return { cron: `cron(0 0/${minutes / 60} * * ? *)` };
  if (minutes === 1440) return { cron: 'cron(0 0 * * ? *)' };
  if (minutes === 7 * 1440) return { cron: 'cron(0 0 ? * SUN *)' };
  return {
    problem:
      'has no Glue cron expression with the same even interval (Glue schedules are cron only, and cron steps restart every hour, day or month); ' +
      'use a rate of 5, 6, 10, 12, 15, 20 or 30 minutes, 1, 2, 3, 4, 6, 8 or 12 hours, 1 day or 7 days, or a cron(...) schedule',
  };
}

/** The cron itself, or the problem when it fires more often than Glue allows. */
function cronProblem(expression: string): GlueScheduleResult {
  const [minuteField, hourField] = expression.slice('cron('.length, -1).trim().split(/\s+/);
  const minutes = cronMinutes(minuteField);
  // A field this check does not understand is left to Glue, which validates it at apply.
  if (minutes && minutes.length > 0) {
    const gaps = minutes.slice(1).map((m, i) => m - minutes[i]);
    // Unless the hour is fixed, the last minute of one hour is followed by the first of the next.
    if (!/^\d+$/.test(hourField)) gaps.push(60 - minutes[minutes.length - 1] + minutes[0]);
    const gap = Math.min(...gaps);
    if (gaps.length > 0 && gap < GLUE_MIN_SCHEDULE_MINUTES) {
      return {
        problem: `fires ${gap} minute${gap === 1 ? '' : 's'} apart (minutes field "${minuteField}"); Glue runs schedules at most every ${GLUE_MIN_SCHEDULE_MINUTES} minutes, e.g. "cron(0/${GLUE_MIN_SCHEDULE_MINUTES} * * * ? *)"`,
      };
    }
  }
  return { cron: expression };
}

/** The minutes a cron minutes field selects (`*`, `5`, `0-30`, `0/15`, `*\/10`, lists), or undefined if it cannot tell. */
function cronMinutes(field: string): number[] | undefined {
  const selected = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\d{1,2})(?:-(\d{1,2}))?(?:\/(\d{1,2}))?$/.exec(part);
    if (!m || (m[1] === '*' && m[2] !== undefined)) return undefined;
    const start = m[1] === '*' ? 0 : Number(m[1]);
    const end = m[2] !== undefined ? Number(m[2]) : m[1] === '*' || m[3] !== undefined ? 59 : start;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (start > 59 || end > 59 || step < 1) return undefined;
    for (let minute = start; minute <= end; minute += step) selected.add(minute);
  }
  return [...selected].sort((a, b) => a - b);
}
