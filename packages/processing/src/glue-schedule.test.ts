import { GLUE_MIN_SCHEDULE_MINUTES, glueSchedule } from './glue-schedule';

describe('glueSchedule', () => {
  it('keeps a cron expression', () => {
    expect(glueSchedule('cron(0 3 * * ? *)')).toEqual({ cron: 'cron(0 3 * * ? *)' });
    expect(glueSchedule('cron(0/5 * * * ? *)')).toEqual({ cron: 'cron(0/5 * * * ? *)' });
    expect(glueSchedule('cron(0,30 8-18 ? * MON-FRI *)')).toEqual({ cron: 'cron(0,30 8-18 ? * MON-FRI *)' });
    // Two minutes apart, but within one fixed hour only: the hour never wraps.
    expect(glueSchedule('cron(0,55 6 * * ? *)')).toEqual({ cron: 'cron(0,55 6 * * ? *)' });
  });

  it('converts rates that have a cron with the same even interval, anchored at UTC', () => {
    expect(GLUE_MIN_SCHEDULE_MINUTES).toBe(5);
    const cases: Array<[string, string]> = [
      ['rate(5 minutes)', 'cron(0/5 * * * ? *)'],
      ['rate(6 minutes)', 'cron(0/6 * * * ? *)'],
      ['rate(15 minutes)', 'cron(0/15 * * * ? *)'],
      ['rate(30 minutes)', 'cron(0/30 * * * ? *)'],
      ['rate(60 minutes)', 'cron(0 * * * ? *)'],
      ['rate(1 hour)', 'cron(0 * * * ? *)'],
      ['rate(120 minutes)', 'cron(0 0/2 * * ? *)'],
      ['rate(6 hours)', 'cron(0 0/6 * * ? *)'],
      ['rate(12 hours)', 'cron(0 0/12 * * ? *)'],
      ['rate(24 hours)', 'cron(0 0 * * ? *)'],
      ['rate(1 day)', 'cron(0 0 * * ? *)'],
      ['rate(7 days)', 'cron(0 0 ? * SUN *)'],
    ];
    for (const [rate, cron] of cases) expect([rate, glueSchedule(rate)]).toEqual([rate, { cron }]);
  });

  it('refuses rates under 5 minutes', () => {
    for (const rate of ['rate(1 minute)', 'rate(4 minutes)']) {
      expect(glueSchedule(rate)).toEqual({ problem: 'runs more often than Glue allows (every 5 minutes at most); use "rate(5 minutes)" or longer' });
    }
  });

  it('refuses rates without a cron of the same even interval', () => {
    const problem =
      'has no Glue cron expression with the same even interval (Glue schedules are cron only, and cron steps restart every hour, day or month); ' +
      'use a rate of 5, 6, 10, 12, 15, 20 or 30 minutes, 1, 2, 3, 4, 6, 8 or 12 hours, 1 day or 7 days, or a cron(...) schedule';
    for (const rate of ['rate(7 minutes)', 'rate(45 minutes)', 'rate(90 minutes)', 'rate(5 hours)', 'rate(36 hours)', 'rate(2 days)', 'rate(30 days)']) {
      expect([rate, glueSchedule(rate)]).toEqual([rate, { problem }]);
    }
  });

  it('refuses crons that fire less than 5 minutes apart', () => {
    expect(glueSchedule('cron(* * * * ? *)')).toEqual({
      problem: 'fires 1 minute apart (minutes field "*"); Glue runs schedules at most every 5 minutes, e.g. "cron(0/5 * * * ? *)"',
    });
    expect(glueSchedule('cron(0/2 * * * ? *)')).toEqual({
      problem: 'fires 2 minutes apart (minutes field "0/2"); Glue runs schedules at most every 5 minutes, e.g. "cron(0/5 * * * ? *)"',
    });
    // Minute 58 of one hour and minute 0 of the next.
    expect(glueSchedule('cron(0,58 * * * ? *)')).toMatchObject({ problem: expect.stringMatching(/^fires 2 minutes apart \(minutes field "0,58"\)/) });
    expect(glueSchedule('cron(10-12 3 * * ? *)')).toMatchObject({ problem: expect.stringMatching(/^fires 1 minute apart/) });
  });

  it('passes on what core finds wrong with a schedule', () => {
    expect(glueSchedule('rate(2 weeks)')).toEqual({
      problem: 'is not a schedule; use "rate(<n> <minute|minutes|hour|hours|day|days>)" or "cron(<6 fields>)", e.g. "cron(0 2 * * ? *)"',
    });
    expect(glueSchedule('cron(0 2 * * *)')).toMatchObject({ problem: expect.stringMatching(/^has 5 cron fields/) });
  });
});
