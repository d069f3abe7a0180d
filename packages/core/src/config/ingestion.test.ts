import { FARGATE_MEMORY, fargateMemoryFits, scheduleProblem } from './ingestion';
import { parseEnvironment } from './loader';

const NOT_A_SCHEDULE = 'is not a schedule; use "rate(<n> <minute|minutes|hour|hours|day|days>)" or "cron(<6 fields>)", e.g. "cron(0 2 * * ? *)"';
const SIX_FIELDS = 'use 6: minutes hours day-of-month month day-of-week year, e.g. "cron(0 2 * * ? *)"';
const ONE_QUESTION_MARK = 'must have "?" in exactly one of day-of-month and day-of-week, e.g. "cron(0 2 * * ? *)"';
const UNIT_NUMBER = 'use the singular unit for 1 and the plural otherwise ("rate(1 day)", "rate(2 days)")';

describe('scheduleProblem', () => {
  it.each([
    'rate(1 minute)',
    'rate(15 minutes)',
    'rate(1 hour)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(7 days)',
    'cron(0 2 * * ? *)',
    'cron(0/15 8-18 ? * MON-FRI *)',
    'cron(30 6 1 * ? 2030)',
    'cron( 0 2 * * ? * )',
  ])('accepts %s', (expression) => {
    expect(scheduleProblem(expression)).toBeUndefined();
  });

  it.each([
    ['a rate of 0', 'rate(0 days)', 'has a rate below 1; use e.g. "rate(1 day)"'],
    ['a rate of 1 with a plural unit', 'rate(1 days)', `says "1 days"; ${UNIT_NUMBER}`],
    ['a rate above 1 with a singular unit', 'rate(2 hour)', `says "2 hour"; ${UNIT_NUMBER}`],
    ['a rate in an unsupported unit', 'rate(1 week)', NOT_A_SCHEDULE],
    ['a negative rate', 'rate(-1 days)', NOT_A_SCHEDULE],
    ['a cron of 5 fields (Unix cron)', 'cron(0 2 * * ?)', `has 5 cron fields; ${SIX_FIELDS}`],
    ['a cron of 7 fields (with seconds)', 'cron(0 0 2 * * ? *)', `has 7 cron fields; ${SIX_FIELDS}`],
    ['an empty cron', 'cron()', `has 0 cron fields; ${SIX_FIELDS}`],
    ['a cron with "?" in both day fields', 'cron(0 2 ? * ? *)', ONE_QUESTION_MARK],
    ['a cron with "?" in neither day field', 'cron(0 2 * * * *)', ONE_QUESTION_MARK],
    ['words', 'every day', NOT_A_SCHEDULE],
    ['a Unix cron line without cron(...)', '0 2 * * *', NOT_A_SCHEDULE],
    ['an empty expression', '', NOT_A_SCHEDULE],
  ])('rejects %s (%s)', (_, expression, problem) => {
    expect(scheduleProblem(expression)).toBe(problem);
  });
});

describe('fargateMemoryFits', () => {
  it.each([
    [256, [512, 1024, 2048]],
    [512, [1024, 2048, 3072, 4096]],
    [1024, [2048, 5120, 8192]],
    [2048, [4096, 16384]],
    [4096, [8192, 30720]],
  ] as const)('accepts the Fargate sizes of cpu %s', (cpu, sizes) => {
    for (const memoryMb of sizes) expect(fargateMemoryFits(cpu, memoryMb)).toBe(true);
  });

  it.each([
    [256, 4096, 'above the range'],
    [256, 1536, 'between whole GiB'],
    [512, 512, 'below the range (512 MiB fits cpu 256 only)'],
    [512, 1536, 'between whole GiB'],
    [2048, 2048, 'below the range'],
    [4096, 31744, 'above the range'],
  ] as const)('rejects cpu %s with %s MiB, %s', (cpu, memoryMb, _why) => {
    expect(fargateMemoryFits(cpu, memoryMb)).toBe(false);
  });

  it('accepts each range bound of FARGATE_MEMORY', () => {
    for (const [cpu, [min, max]] of Object.entries(FARGATE_MEMORY)) {
      const size = Number(cpu) as keyof typeof FARGATE_MEMORY;
      expect([fargateMemoryFits(size, min), fargateMemoryFits(size, max)]).toEqual([true, true]);
    }
  });
});

describe('stream partitioning checks', () => {
  const base = 'name: dev\naccount: "111111111111"\nregion: eu-west-1\noffline: true\nlayout: single\ningestion:\n  streams:\n    clicks:\n';
  const problemsOf = (stream: string): string[] => {
    try {
      parseEnvironment(`${base}${stream}`, 'environments/dev.yaml');
      return [];
    } catch (e) {
      return (e as Error).message.split('\n');
    }
  };
  const columns = '      columns: [{ name: event_type, type: string }, { name: id, type: string }]\n';

  test('rejects a buffer interval under 60 seconds with dynamic partitioning', () => {
    expect(problemsOf(`      partitionBy: [event_type]\n      bufferIntervalSeconds: 30\n${columns}`)).toEqual([
      'environments/dev.yaml: ingestion.streams.clicks.bufferIntervalSeconds is 30; use 60 to 900; Firehose buffers at least 60 seconds with dynamic partitioning (partitionBy)',
    ]);
  });

  test('rejects partitioning by a date key the platform adds itself, and a key listed twice', () => {
    expect(problemsOf(`      partitionBy: [year, event_type, event_type]\n${columns}`)).toEqual([
      'environments/dev.yaml: ingestion.streams.clicks.partitionBy.0 is "year"; is a date partition the platform adds itself (year, month, day); partition by another field',
      'environments/dev.yaml: ingestion.streams.clicks.partitionBy.2 is "event_type"; is listed twice; list each partition key once',
    ]);
  });

  test('rejects parquet columns that are all partition keys', () => {
    expect(problemsOf('      partitionBy: [event_type]\n      columns: [{ name: event_type, type: string }]\n')).toEqual([
      'environments/dev.yaml: ingestion.streams.clicks.columns is [{"name":"event_type","type":"string"}]; holds only partition keys; Parquet files need at least one data column besides partitionBy',
    ]);
  });

  test('rejects a dataset name over 40 characters', () => {
    const long = 'a'.repeat(41);
    expect(() => parseEnvironment(`${base.replace('clicks:', `${long}:`)}      format: json\n`, 'environments/dev.yaml')).toThrow(
      `ingestion.streams.${long} is not an allowed key; use 2-40 lowercase letters`,
    );
  });
});

describe('database TLS', () => {
  test('requires a CA certificate for MySQL-family sources', () => {
    const text = [
      'name: dev', 'account: "111111111111"', 'region: eu-west-1', 'offline: true', 'layout: single',
      'network: { vpcId: vpc-0a1b2c3d4e5f60001, vpcCidr: 10.10.0.0/16, subnets: { eu-west-1a: subnet-0a1b2c3d4e5f6a001, eu-west-1b: subnet-0a1b2c3d4e5f6b001 } }',
      'ingestion:', '  databases:', '    shop:', '      engine: mysql', '      host: shop.internal', '      port: 3306', '      databaseName: shop',
      '      secretArn: arn:aws:secretsmanager:eu-west-1:111111111111:secret:shop-AbCdEf', '      sourceCidr: 10.10.64.0/24',
      '      tables: [{ schema: shop, table: orders }]', '',
    ].join('\n');
    expect(() => parseEnvironment(text, 'environments/dev.yaml')).toThrow(
      'environments/dev.yaml: ingestion.databases.shop.certificateArn is missing; is required for engine mysql: DMS connects to MySQL-family sources over TLS only with the CA certificate; import it (aws_dms_certificate or the console) and set its ARN',
    );
  });
});
