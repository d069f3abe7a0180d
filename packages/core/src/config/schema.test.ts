import { parseEnvironment } from './loader';
import {
  ENVIRONMENT_DEFAULTS,
  LAKE_DEFAULTS,
  ZONES,
  ZONE_LIFECYCLE_DEFAULTS,
  arnAccount,
  cidrProblem,
  environmentSchema,
} from './schema';

/** The smallest online file: only the fields without a default. */
const MINIMAL = `name: dev
account: "111111111111"
region: eu-west-1
deployRole: arn:aws:iam::111111111111:role/adp-deploy
state:
  bucket: adp-tfstate-111111111111
`;

describe('documented defaults', () => {
  const env = parseEnvironment(MINIMAL, 'environments/dev.yaml');

  it('fills the top-level fields with ENVIRONMENT_DEFAULTS', () => {
    const { project, stage, layout, protect, offline } = env;
    expect({ project, stage, layout, protect, offline }).toEqual(ENVIRONMENT_DEFAULTS);
  });

  it('fills the lake section with LAKE_DEFAULTS and no managed tables', () => {
    const { zones, tables, ...lake } = env.lake;
    expect(lake).toEqual(LAKE_DEFAULTS);
    expect(Object.keys(zones)).toEqual([...ZONES]);
    expect(tables).toEqual({});
  });

  it('leaves the optional governance, bi, ml and ci sections unset', () => {
    expect([env.governance, env.bi, env.ml, env.ci]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it.each(ZONES)('fills the %s zone with ZONE_LIFECYCLE_DEFAULTS and no archive or expiration', (zone) => {
    expect(env.lake.zones[zone]).toEqual(ZONE_LIFECYCLE_DEFAULTS);
  });

  it('defaults tags to none and leaves network unset', () => {
    expect(env.tags).toEqual({});
    expect(env.network).toBeUndefined();
  });

  it('fills a zone written with only some fields, keeping the others at their defaults', () => {
    const parsed = environmentSchema.parse({
      name: 'dev',
      account: '111111111111',
      region: 'eu-west-1',
      lake: { zones: { raw: { expirationDays: 400 } } },
    });
    expect(parsed.lake.zones.raw).toEqual({ ...ZONE_LIFECYCLE_DEFAULTS, expirationDays: 400 });
    expect(parsed.lake.keyDeletionWindowDays).toBe(LAKE_DEFAULTS.keyDeletionWindowDays);
  });
});

describe('cidrProblem', () => {
  it.each(['10.20.0.0/16', '10.20.0.0/28', '172.31.240.0/20', '0.0.0.0/16', '255.255.255.240/28'])('accepts %s', (cidr) => {
    expect(cidrProblem(cidr)).toBeUndefined();
  });

  it.each([
    ['10.20.0.0', 'use an IPv4 CIDR block such as "10.20.0.0/16"'],
    ['10.20.0/16', 'use an IPv4 CIDR block such as "10.20.0.0/16"'],
    ['10.20.0.0/016', 'use an IPv4 CIDR block such as "10.20.0.0/16"'],
    [' 10.20.0.0/16', 'use an IPv4 CIDR block such as "10.20.0.0/16"'],
    ['fd00::/16', 'use an IPv4 CIDR block such as "10.20.0.0/16"'],
  ])('rejects the shape of %j', (cidr, problem) => {
    expect(cidrProblem(cidr)).toBe(problem);
  });

  it.each(['256.0.0.0/16', '10.300.0.0/16', '10.0.0.999/28'])('rejects %s, with an octet over 255', (cidr) => {
    expect(cidrProblem(cidr)).toBe('has an octet over 255; use an IPv4 CIDR block such as "10.20.0.0/16"');
  });

  it.each(['10.0.0.0/8', '10.0.0.0/15', '10.0.0.0/29', '10.0.0.0/32', '10.0.0.0/0'])('rejects %s, outside the /16 to /28 VPC limits', (cidr) => {
    expect(cidrProblem(cidr)).toBe('has a prefix outside /16 to /28 (the VPC limits); use e.g. /16');
  });

  it.each([
    ['10.20.1.0/16', '10.20.0.0/16'],
    ['10.20.0.1/16', '10.20.0.0/16'],
    ['172.31.250.0/20', '172.31.240.0/20'],
    ['192.168.1.77/28', '192.168.1.64/28'],
    ['10.255.255.255/17', '10.255.128.0/17'],
  ])('rejects %s, with host bits set, giving the network address %s', (cidr, base) => {
    expect(cidrProblem(cidr)).toBe(`has host bits set; use "${base}"`);
  });
});

describe('arnAccount', () => {
  it('returns the account id of an ARN', () => {
    expect(arnAccount('arn:aws:iam::123456789012:role/deploy')).toBe('123456789012');
    expect(arnAccount('arn:aws-cn:iam::210987654321:role/path/deploy')).toBe('210987654321');
  });

  it('returns undefined for text that is not an ARN', () => {
    expect(arnAccount('deploy')).toBeUndefined();
  });
});
