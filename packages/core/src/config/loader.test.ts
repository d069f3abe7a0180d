import { join, relative } from 'node:path';
import { PlatformError, isPlatformError } from '../errors';
import { listEnvironments, loadEnvironment, loadEnvironments, parseEnvironment } from './loader';

const FIXTURES = join(__dirname, '__fixtures__');

/** A fixture path as a user would pass it (relative to the working directory); messages show it as given. */
function fixture(...parts: string[]): string {
  return relative(process.cwd(), join(FIXTURES, ...parts));
}

/** Each `invalid/<case>/dev.yaml` is a file named dev.yaml, so `name: dev` is right unless the case is about it. */
function invalidFile(name: string): string {
  return fixture('invalid', name, 'dev.yaml');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches exactly `lines` as the whole message: nothing before, after or between them. */
function exactly(lines: readonly string[]): RegExp {
  return new RegExp(`^${lines.map(escapeRegExp).join('\\n')}$`);
}

/** Runs `load`, asserts it throws a PlatformError and returns it. */
function rejection(load: () => unknown): PlatformError {
  let thrown: unknown;
  try {
    load();
  } catch (e) {
    thrown = e;
  }
  expect(isPlatformError(thrown)).toBe(true);
  return thrown as PlatformError;
}

/** A message a user can act on: every line names its file, no stack trace, no zod default wording. */
function expectReadable(error: PlatformError, ...files: string[]): void {
  const lines = error.message.split('\n');
  for (const line of lines) {
    expect(files.some((f) => line.startsWith(`${f}: `))).toBe(true);
  }
  expect(error.message).not.toMatch(/^ {4}at /m);
  expect(error.message).not.toMatch(/Invalid input|expected \w+, received/i);
  expect(lines).toHaveLength(error.problems.length);
}

const TOP_LEVEL_KEYS = 'name, project, stage, account, region, deployRole, state, layout, protect, offline, tags, network, lake';
const ACCOUNT_FIX = 'use the 12-digit AWS account id, quoted ("012345678901") so YAML keeps leading zeros';

/** One malformed file, the behaviour it shows and the exact problems (field path, message) it must report. */
interface InvalidCase {
  readonly fixture: string;
  readonly behaviour: string;
  readonly problems: ReadonlyArray<readonly [path: string, message: string]>;
}

const INVALID: readonly InvalidCase[] = [
  {
    fixture: 'missing-account',
    behaviour: 'rejects a file without account, describing the field',
    problems: [['account', 'is missing; add it: AWS account id of this environment, 12 digits in quotes (one account per environment)']],
  },
  {
    fixture: 'account-number',
    behaviour: 'rejects an unquoted account (a YAML number that lost its leading zero), asking to quote it',
    problems: [['account', `is 11111111111 (a number); ${ACCOUNT_FIX}`]],
  },
  {
    fixture: 'account-empty',
    behaviour: 'rejects an account key with no value as empty',
    problems: [['account', `is empty; ${ACCOUNT_FIX}`]],
  },
  {
    fixture: 'account-short',
    behaviour: 'rejects an account of 11 digits once, without comparing it to the deploy role',
    problems: [['account', `is "11111111111"; ${ACCOUNT_FIX}`]],
  },
  {
    fixture: 'bad-region',
    behaviour: 'rejects a region that is not an AWS region name',
    problems: [['region', 'is "europe-west1"; use an AWS region name such as "eu-west-1"']],
  },
  {
    fixture: 'unknown-key',
    behaviour: 'rejects a misspelt top-level key with a did-you-mean suggestion, and the field it misses',
    problems: [
      ['region', 'is missing; add it: AWS region the environment is deployed to'],
      ['regoin', `is not a known field; did you mean "region"? (allowed here: ${TOP_LEVEL_KEYS})`],
    ],
  },
  {
    fixture: 'unknown-key-no-guess',
    behaviour: 'rejects an unknown key unlike any field, asking to remove it',
    problems: [['colour', `is not a known field; remove it (allowed here: ${TOP_LEVEL_KEYS})`]],
  },
  {
    fixture: 'unknown-nested-key',
    behaviour: 'rejects a misspelt nested key with its full path and a suggestion from its own section',
    problems: [
      [
        'lake.zones.raw.infrequentAcessDays',
        'is not a known field; did you mean "infrequentAccessDays"? (allowed here: infrequentAccessDays, archiveDays, expirationDays, noncurrentVersionExpirationDays)',
      ],
    ],
  },
  {
    fixture: 'unknown-zone',
    behaviour: 'rejects a zone that does not exist, listing the zones',
    problems: [['lake.zones.bronze', 'is not a known field; remove it (allowed here: raw, processed, curated)']],
  },
  {
    fixture: 'number-as-text',
    behaviour: 'rejects text where a number is expected, giving the allowed range',
    problems: [['lake.keyDeletionWindowDays', 'is "thirty" (text); use a whole number from 7 to 30']],
  },
  {
    fixture: 'fractional-number',
    behaviour: 'rejects a fractional number of days',
    problems: [['lake.abortIncompleteUploadDays', 'is 2.5 (a number); use a whole number from 1 to 365']],
  },
  {
    fixture: 'boolean-as-text',
    behaviour: 'rejects yes where a boolean is expected (YAML 1.2 reads it as text)',
    problems: [['protect', 'is "yes" (text); use true or false']],
  },
  {
    fixture: 'text-as-number',
    behaviour: 'rejects a number where text is expected, showing how to quote it',
    problems: [['tags.cost-center', 'is 1234 (a number); use text: quote it ("1234")']],
  },
  {
    fixture: 'mapping-as-list',
    behaviour: 'rejects a list where a section (mapping) is expected',
    problems: [['lake', 'is ["raw","curated"] (a list); use a mapping of fields (key: value lines, indented under this key)']],
  },
  {
    fixture: 'missing-name',
    behaviour: 'rejects a file without name, giving the name to add',
    problems: [['name', 'is missing; add name: dev (the file name without .yaml)']],
  },
  {
    fixture: 'missing-state-bucket',
    behaviour: 'rejects a state section without its bucket',
    problems: [['state.bucket', 'is missing; add it: S3 bucket holding Terraform state (created by apps/bootstrap)']],
  },
  {
    fixture: 'unknown-stage',
    behaviour: 'rejects a stage outside the list, listing the stages',
    problems: [['stage', 'is "prod"; use one of development, staging, production']],
  },
  {
    fixture: 'cidr-shape',
    behaviour: 'rejects a VPC CIDR without prefix length',
    problems: [['network.vpcCidr', 'is "10.20.0.0"; use an IPv4 CIDR block such as "10.20.0.0/16"']],
  },
  {
    fixture: 'cidr-octet',
    behaviour: 'rejects a VPC CIDR with an octet over 255',
    problems: [['network.vpcCidr', 'is "10.256.0.0/16"; it has an octet over 255; use an IPv4 CIDR block such as "10.20.0.0/16"']],
  },
  {
    fixture: 'cidr-host-bits',
    behaviour: 'rejects a VPC CIDR with host bits set, giving the network address to use',
    problems: [['network.vpcCidr', 'is "10.20.1.0/16"; it has host bits set; use "10.20.0.0/16"']],
  },
  {
    fixture: 'cidr-prefix',
    behaviour: 'rejects a VPC CIDR prefix outside the /16 to /28 VPC limits',
    problems: [['network.vpcCidr', 'is "10.0.0.0/8"; it has a prefix outside /16 to /28 (the VPC limits); use e.g. /16']],
  },
  {
    fixture: 'key-deletion-window',
    behaviour: 'rejects a KMS key deletion window below 7 days',
    problems: [['lake.keyDeletionWindowDays', 'is 3; use a whole number from 7 to 30']],
  },
  {
    fixture: 'infrequent-access-days',
    behaviour: 'rejects a Standard-IA transition before the 30 days S3 requires',
    problems: [['lake.zones.raw.infrequentAccessDays', 'is 10; use a whole number from 30 to 3650']],
  },
  {
    fixture: 'archive-too-close',
    behaviour: 'rejects archiveDays less than 30 days after infrequentAccessDays',
    problems: [
      [
        'lake.zones.processed.archiveDays',
        'is 80; use 90 or more, 30 days after the move to Standard-IA (infrequentAccessDays 60): S3 keeps objects in Standard-IA at least 30 days before Glacier',
      ],
    ],
  },
  {
    fixture: 'archive-default-ia',
    behaviour: 'rejects archiveDays too close to the default infrequentAccessDays, saying it is the default',
    problems: [
      [
        'lake.zones.curated.archiveDays',
        'is 100; use 120 or more, 30 days after the move to Standard-IA (infrequentAccessDays, default 90): S3 keeps objects in Standard-IA at least 30 days before Glacier',
      ],
    ],
  },
  {
    fixture: 'expiration-early',
    behaviour: 'rejects expirationDays before the archive transition',
    problems: [
      [
        'lake.zones.raw.expirationDays',
        'is 120; use more than 180, the day of the last transition (archiveDays 180): S3 expires objects only after their transitions',
      ],
    ],
  },
  {
    fixture: 'expiration-before-ia',
    behaviour: 'rejects expirationDays before the default Standard-IA transition',
    problems: [
      [
        'lake.zones.raw.expirationDays',
        'is 60; use more than 90, the day of the last transition (infrequentAccessDays, default 90): S3 expires objects only after their transitions',
      ],
    ],
  },
  {
    fixture: 'prod-unprotected',
    behaviour: 'rejects a production environment with protect: false',
    problems: [
      ['protect', 'is false in a production environment; set protect: true (stateful resources of staging and production must never be destroyed by a plan)'],
    ],
  },
  {
    fixture: 'prod-offline',
    behaviour: 'rejects an offline production environment',
    problems: [['offline', 'is true in a production environment; set offline: false (a production plan must run against its real account)']],
  },
  {
    fixture: 'offline-layered',
    behaviour: 'rejects an offline environment with layout: layered',
    problems: [['layout', 'is "layered" in an offline environment; set layout: single (offline plans have no remote state to read other layers from)']],
  },
  {
    fixture: 'offline-default-layout',
    behaviour: 'rejects an offline environment left on the default layered layout, saying it is the default',
    problems: [
      ['layout', 'is "layered" (the default) in an offline environment; set layout: single (offline plans have no remote state to read other layers from)'],
    ],
  },
  {
    fixture: 'online-incomplete',
    behaviour: 'rejects an online environment without deployRole and state',
    problems: [
      ['deployRole', 'is missing; add the ARN of the role the provider assumes to deploy (apps/bootstrap creates it), or set offline: true'],
      ['state', 'is missing; add state.bucket (the state bucket apps/bootstrap creates), or set offline: true'],
    ],
  },
  {
    fixture: 'role-other-account',
    behaviour: 'rejects a deploy role in another account than the environment',
    problems: [['deployRole', "is in account 222222222222, not this environment's account 111111111111; use the deploy role of account 111111111111"]],
  },
  {
    fixture: 'bad-role-arn',
    behaviour: 'rejects a deploy role that is not an IAM role ARN',
    problems: [['deployRole', 'is "adp-deploy"; use an IAM role ARN, e.g. "arn:aws:iam::111111111111:role/data-platform-deploy"']],
  },
  {
    fixture: 'reserved-tag',
    behaviour: 'rejects a tag the platform sets itself',
    problems: [['tags.environment', 'is set, but the platform sets this tag itself; remove it (reserved: project, environment, stage, managed-by)']],
  },
  {
    fixture: 'tag-key-invalid',
    behaviour: 'rejects a tag key with characters AWS does not allow',
    problems: [['tags.owner{team}', 'is not an allowed key; use a tag key of 1-128 letters, digits, spaces and _.:/=+-@']],
  },
  {
    fixture: 'az-outside-region',
    behaviour: "rejects an availability zone outside the environment's region",
    problems: [['network.availabilityZones.1', 'is "us-east-1b", outside region eu-west-1; use zones of eu-west-1 (e.g. eu-west-1a)']],
  },
  {
    fixture: 'az-duplicate',
    behaviour: 'rejects an availability zone listed twice, at its second position',
    problems: [['network.availabilityZones.2', 'is "eu-west-1a" again; list each zone once']],
  },
  {
    fixture: 'az-too-few',
    behaviour: 'rejects a single availability zone',
    problems: [['network.availabilityZones', 'is ["eu-west-1a"]; list at least 2 availability zones, for redundancy']],
  },
  {
    fixture: 'name-mismatch',
    behaviour: 'rejects a name that differs from the file name',
    problems: [['name', 'is "prod" but the file is dev.yaml; make them equal (name: dev) or rename the file']],
  },
  {
    fixture: 'yaml-syntax',
    behaviour: 'rejects invalid YAML once, with its line and column',
    problems: [['', 'is not valid YAML at line 3, column 9: Nested mappings are not allowed in compact mappings; check the indentation of this line and the next']],
  },
  {
    fixture: 'yaml-duplicate-key',
    behaviour: 'rejects a key written twice, naming the key and its line',
    problems: [['', 'is not valid YAML at line 7, column 1: key "region" appears twice in the same mapping; keep one']],
  },
  {
    fixture: 'empty-file',
    behaviour: 'rejects an empty file, pointing at the smallest valid file',
    problems: [['', 'is empty; start from environments/local.yaml, the smallest valid file']],
  },
  {
    fixture: 'comments-only',
    behaviour: 'rejects a file of comments only as empty',
    problems: [['', 'is empty; start from environments/local.yaml, the smallest valid file']],
  },
  {
    fixture: 'top-level-list',
    behaviour: 'rejects a file whose top level is a list',
    problems: [['', 'is a list, not a mapping of fields (key: value lines); start from environments/local.yaml']],
  },
  {
    fixture: 'top-level-text',
    behaviour: 'rejects a file whose top level is a single word',
    problems: [['', 'is text ("dev"), not a mapping of fields (key: value lines); start from environments/local.yaml']],
  },
];

describe('loadEnvironment', () => {
  describe('valid files', () => {
    it('loads the smallest offline file, filling every default', () => {
      expect(loadEnvironment(fixture('valid', 'local.yaml'))).toEqual({
        name: 'local',
        project: 'adp',
        stage: 'development',
        account: '000000000000',
        region: 'eu-west-1',
        layout: 'single',
        protect: true,
        offline: true,
        tags: {},
        lake: {
          keyDeletionWindowDays: 30,
          abortIncompleteUploadDays: 7,
          athenaResultsExpirationDays: 30,
          accessLogsExpirationDays: 365,
          zones: {
            raw: { infrequentAccessDays: 90, noncurrentVersionExpirationDays: 90 },
            processed: { infrequentAccessDays: 90, noncurrentVersionExpirationDays: 90 },
            curated: { infrequentAccessDays: 90, noncurrentVersionExpirationDays: 90 },
          },
        },
      });
    });

    it('loads a file setting every field, keeping each value as written', () => {
      expect(loadEnvironment(fixture('valid', 'dev.yaml'))).toEqual({
        name: 'dev',
        project: 'shop',
        stage: 'development',
        account: '011111111111',
        region: 'eu-central-1',
        deployRole: 'arn:aws:iam::011111111111:role/shop-deploy',
        state: {
          bucket: 'shop-tfstate-011111111111',
          region: 'eu-west-1',
          keyPrefix: 'platform/dev',
          role: 'arn:aws:iam::999999999999:role/shop-state',
        },
        layout: 'layered',
        protect: false,
        offline: false,
        tags: { 'cost-center': 'data-platform' },
        network: { vpcCidr: '10.10.0.0/16', availabilityZones: ['eu-central-1a', 'eu-central-1b'] },
        lake: {
          keyDeletionWindowDays: 7,
          abortIncompleteUploadDays: 3,
          athenaResultsExpirationDays: 7,
          accessLogsExpirationDays: 90,
          zones: {
            raw: { infrequentAccessDays: 30, archiveDays: 60, expirationDays: 365, noncurrentVersionExpirationDays: 14 },
            processed: { infrequentAccessDays: 90, noncurrentVersionExpirationDays: 90 },
            curated: { infrequentAccessDays: 60, noncurrentVersionExpirationDays: 90 },
          },
        },
      });
    });

    it('loads a production file, protected by default', () => {
      const env = loadEnvironment(fixture('valid', 'prod.yaml'));
      expect(env).toMatchObject({ name: 'prod', stage: 'production', protect: true, offline: false, layout: 'layered' });
    });
  });

  describe('malformed files', () => {
    it('gives each of at least 20 malformed cases its own message', () => {
      expect(INVALID.length).toBeGreaterThanOrEqual(20);
      // comments-only is the empty-file mistake in disguise and shares its message on purpose.
      const messages = INVALID.filter((c) => c.fixture !== 'comments-only').map((c) => JSON.stringify(c.problems));
      expect(new Set(messages).size).toBe(messages.length);
    });

    it.each(INVALID)('$behaviour ($fixture)', ({ fixture: name, problems }) => {
      const file = invalidFile(name);
      const lines = problems.map(([path, message]) => `${file}: ${path ? `${path} ` : ''}${message}`);

      expect(() => loadEnvironment(file)).toThrow(exactly(lines));
      const error = rejection(() => loadEnvironment(file));
      expect(error.source).toBe(file);
      expect(error.problems.map((p) => p.path)).toEqual(problems.map(([path]) => path));
      expectReadable(error, file);
    });

    it('rejects a file that does not exist, saying how to create it', () => {
      const file = invalidFile('does-not-exist');
      expect(() => loadEnvironment(file)).toThrow(
        exactly([`${file}: does not exist; create it (copy environments/local.yaml) or pick an existing environment`]),
      );
      expectReadable(rejection(() => loadEnvironment(file)), file);
    });

    it('reports every problem of one file in one error, one line each', () => {
      const file = invalidFile('many-problems');
      const error = rejection(() => loadEnvironment(file));

      expect(error.message.split('\n')).toHaveLength(9);
      expect(error.problems.map((p) => p.path).sort()).toEqual(
        [
          'account',
          'lake.keyDeletionWindowDays',
          'lake.zones.raw.infrequentAcessDays',
          'regoin',
          'protect',
          'tags.project',
          'network.vpcCidr',
          'network.availabilityZones.1',
          'lake.zones.raw.archiveDays',
        ].sort(),
      );
      expect(error.message).toMatch(
        new RegExp(`^${escapeRegExp(file)}: network\\.vpcCidr is "10\\.20\\.0\\.1/16"; it has host bits set; use "10\\.20\\.0\\.0/16"$`, 'm'),
      );
      expect(error.message).toMatch(/^.*: regoin is not a known field; did you mean "region"\?/m);
      expectReadable(error, file);
    });
  });
});

describe('parseEnvironment', () => {
  it('prefixes every message with the file name it is given', () => {
    expect(() => parseEnvironment('name: qa\naccount: 1\n', 'environments/qa.yaml')).toThrow(
      /^environments\/qa\.yaml: account is 1 \(a number\); use the 12-digit AWS account id/,
    );
  });

  it('reports a value .inf as Infinity, not null', () => {
    const text = 'name: qa\naccount: "111111111111"\nregion: eu-west-1\noffline: true\nlayout: single\nlake:\n  keyDeletionWindowDays: .inf\n';
    expect(() => parseEnvironment(text, 'qa.yaml')).toThrow(
      exactly(['qa.yaml: lake.keyDeletionWindowDays is Infinity (a number); use a whole number from 7 to 30']),
    );
  });

  it('asks to indent with spaces when YAML is indented with a tab', () => {
    expect(() => parseEnvironment('name: qa\nlake:\n\tkeyDeletionWindowDays: 7\n', 'qa.yaml')).toThrow(
      /^qa\.yaml: is not valid YAML at line 3, column 1: .*; indent with spaces$/,
    );
  });
});

describe('listEnvironments', () => {
  it('lists the <env>.yaml files of a directory by name, sorted, ignoring other files', () => {
    expect(listEnvironments(fixture('sets', 'valid'))).toEqual(['dev', 'local', 'prod', 'sandbox']);
    expect(listEnvironments(fixture('sets', 'empty'))).toEqual([]);
  });
});

describe('loadEnvironments', () => {
  it('loads every environment of a directory; offline environments may share an account', () => {
    const envs = loadEnvironments(fixture('sets', 'valid'));
    expect(envs.map((e) => [e.name, e.account])).toEqual([
      ['dev', '111111111111'],
      ['local', '000000000000'],
      ['prod', '333333333333'],
      ['sandbox', '000000000000'],
    ]);
  });

  it('loads only the environments named, each once', () => {
    expect(loadEnvironments(fixture('sets', 'valid'), ['prod', 'dev', 'prod']).map((e) => e.name)).toEqual(['prod', 'dev']);
  });

  it('reads only the named files, so a broken neighbour does not stop them', () => {
    expect(loadEnvironments(fixture('sets', 'broken'), ['dev']).map((e) => e.name)).toEqual(['dev']);
  });

  it('rejects two online environments in one account', () => {
    const dir = fixture('sets', 'shared-account');
    const file = join(dir, 'staging.yaml');
    expect(() => loadEnvironments(dir)).toThrow(
      exactly([`${file}: account is "111111111111", the account of environment "dev" too; give each environment its own AWS account`]),
    );
    const error = rejection(() => loadEnvironments(dir));
    expect(error.problems).toEqual([expect.objectContaining({ source: file, path: 'account' })]);
    expectReadable(error, file);
  });

  it('rejects two environments keeping state under the same bucket and key prefix', () => {
    const dir = fixture('sets', 'shared-state');
    const file = join(dir, 'staging.yaml');
    expect(() => loadEnvironments(dir)).toThrow(
      exactly([`${file}: state.keyPrefix puts state at s3://shared-tfstate/platform/, where environment "dev" keeps its state; use a distinct keyPrefix`]),
    );
    expectReadable(rejection(() => loadEnvironments(dir)), file);
  });

  it('reports the problems of every file in one error, each line prefixed with its own file', () => {
    const dir = fixture('sets', 'broken');
    const qa = join(dir, 'qa.yaml');
    const staging = join(dir, 'staging.yaml');
    expect(() => loadEnvironments(dir)).toThrow(
      exactly([
        `${qa}: region is "eu-west-9x"; use an AWS region name such as "eu-west-1"`,
        `${staging}: protect is "maybe" (text); use true or false`,
      ]),
    );
    expectReadable(rejection(() => loadEnvironments(dir)), qa, staging);
  });

  it('rejects an environment name that has no file, listing the names there are', () => {
    const dir = fixture('sets', 'valid');
    expect(() => loadEnvironments(dir, ['dev', 'qa', 'uat'])).toThrow(
      exactly([`${dir}: has no environment "qa", "uat"; choose from dev, local, prod, sandbox`]),
    );
    expectReadable(rejection(() => loadEnvironments(dir, ['qa'])), dir);
  });

  it('rejects a directory without environment files', () => {
    const dir = fixture('sets', 'empty');
    expect(() => loadEnvironments(dir)).toThrow(
      exactly([`${dir}: holds no <env>.yaml files; add one (see environments/local.yaml in the repository)`]),
    );
    expectReadable(rejection(() => loadEnvironments(dir)), dir);
  });

  it('rejects a directory that does not exist', () => {
    const dir = fixture('sets', 'missing');
    expect(() => loadEnvironments(dir)).toThrow(
      exactly([`${dir}: does not exist; pass the directory holding the <env>.yaml files (environments/ in the repository)`]),
    );
    expectReadable(rejection(() => loadEnvironments(dir)), dir);
  });
});
