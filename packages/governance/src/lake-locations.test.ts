import { SynthesizedStack, ZONES, ref, rolePolicies, synthesize, synthesizedResource as resource, trustOf } from '@data-platform/core';
import { stackWithLake } from '@data-platform/lake';
import { PolicyPack } from '@data-platform/policy';
import { LakeFormationSettings } from './lake-formation-settings';
import { LAKE_FORMATION_SERVICE, LakeLocations } from './lake-locations';
import { ADMIN_ROLE, OFFLINE, REMOTE, bucketArn, devEnvironment as env, governanceStacks, lakeReadAll, lakeWriteAll } from './lf-test-support';

/** The lake, the settings and the locations in one stack `dev`. */
function build(hybridAccess = false) {
  const { stack, lake } = stackWithLake(env());
  const settings = new LakeFormationSettings(stack, 'settings', { administrators: [ADMIN_ROLE], hybridAccess });
  const locations = new LakeLocations(stack, 'locations', { lake, settings });
  return { stack, lake, settings, locations, ...synthesize(stack) };
}

/** The address of the inline role policy named `name`. */
function policyAddress(tf: SynthesizedStack, name: string): string {
  const found = Object.entries(tf.resource?.aws_iam_role_policy ?? {}).filter(([, policy]) => policy.name === name);
  if (found.length !== 1) throw new Error(`expected one aws_iam_role_policy named ${name}, found ${found.length}`);
  return `aws_iam_role_policy.${found[0][0]}`;
}

describe('LakeLocations', () => {
  it('registers each zone bucket with its own role, after the role may reach the bucket and the Lake Formation settings are in place', () => {
    const { tf, locations } = build();
    for (const zone of ZONES) {
      const registration = resource(tf, 'aws_lakeformation_resource', `governance_${zone}_location`);
      expect(registration).toEqual({
        arn: bucketArn(zone),
        role_arn: ref(locations.role.role, 'arn'),
        hybrid_access_enabled: false,
        depends_on: [
          policyAddress(tf, `adp-dev-lake-read-${zone}-all`),
          policyAddress(tf, `adp-dev-lake-write-${zone}-all`),
          policyAddress(tf, `adp-dev-lake-delete-${zone}-all`),
          'aws_lakeformation_data_lake_settings.governance_lake_settings',
        ],
      });
      expect(registration).not.toHaveProperty('use_service_linked_role');
    }
    expect(Object.keys(tf.resource?.aws_lakeformation_resource ?? {}).sort()).toEqual(['governance_curated_location', 'governance_processed_location', 'governance_raw_location']);
    expect(Object.keys(locations.registrations)).toEqual([...ZONES]);
  });

  it('registers the zones in hybrid access mode exactly when the settings keep IAM-only defaults', () => {
    const { tf } = build(true);
    for (const zone of ZONES) expect(resource(tf, 'aws_lakeformation_resource', `governance_${zone}_location`).hybrid_access_enabled).toBe(true);
  });

  it('has a role Lake Formation assumes for this account only', () => {
    const { tf, locations } = build();
    expect(LAKE_FORMATION_SERVICE).toBe('lakeformation.amazonaws.com');
    expect(resource(tf, 'aws_iam_role', locations.role.role.friendlyUniqueId).name).toBe('adp-dev-governance-lake-locations');
    expect(trustOf(tf, locations.role)).toEqual([{
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['lakeformation.amazonaws.com'] }],
      actions: ['sts:AssumeRole'],
      condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
    }]);
  });

  it('lets the role read, write and delete objects of every zone bucket through the lake\'s grants, and nothing else', () => {
    const { tf, locations } = build();
    expect(rolePolicies(tf, locations)).toEqual(Object.fromEntries(ZONES.flatMap((zone) => [
      [`adp-dev-lake-read-${zone}-all`, lakeReadAll(bucketArn(zone))],
      [`adp-dev-lake-write-${zone}-all`, lakeWriteAll(bucketArn(zone))],
      [`adp-dev-lake-delete-${zone}-all`, [{ sid: 'DeleteObjects', effect: 'Allow', actions: ['s3:DeleteObject'], resources: [`${bucketArn(zone)}/*`] }]],
    ])));
  });

  it('pins the registrations without making them stateful', () => {
    const { stack } = build();
    expect([...stack.statefulAddresses].filter((a) => a.startsWith('aws_lakeformation'))).toEqual([]);
  });

  describe('policy pack', () => {
    it('passes in the governance stack of a layered build, registering the buckets read across stacks', () => {
      const { lakeStack, lake, stack } = governanceStacks(env(), { aspects: [new PolicyPack()] });
      const settings = new LakeFormationSettings(stack, 'settings', { administrators: [ADMIN_ROLE] });
      new LakeLocations(stack, 'locations', { lake, settings });
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      for (const zone of ZONES) expect(resource(tf, 'aws_lakeformation_resource', `governance_${zone}_location`).arn).toMatch(REMOTE);
    });

    it('depends on the settings only within their stack: with the settings in the lake\'s stack (the app\'s layout), on the role\'s policies alone', () => {
      const { lakeStack, lake, stack } = governanceStacks(env(), { aspects: [new PolicyPack()] });
      const settings = new LakeFormationSettings(lakeStack, 'settings', { administrators: [ADMIN_ROLE] });
      new LakeLocations(stack, 'locations', { lake, settings });
      expect(() => synthesize(lakeStack)).not.toThrow();
      const { tf } = synthesize(stack);
      for (const zone of ZONES) {
        const registration = resource(tf, 'aws_lakeformation_resource', `governance_${zone}_location`);
        expect(registration.depends_on).toEqual([
          policyAddress(tf, `adp-dev-lake-read-${zone}-all`),
          policyAddress(tf, `adp-dev-lake-write-${zone}-all`),
          policyAddress(tf, `adp-dev-lake-delete-${zone}-all`),
        ]);
      }
    });

    it('passes in a protected environment', () => {
      const { stack, lake } = governanceStacks(env({ name: 'prod', stage: 'production', protect: true }), { aspects: [new PolicyPack()] });
      new LakeLocations(stack, 'locations', { lake, settings: new LakeFormationSettings(stack, 'settings', { administrators: [] }) });
      expect(() => synthesize(stack)).not.toThrow();
    });

    it('passes in the single stack of the offline environment', () => {
      const { stack, lake } = stackWithLake(env({ ...OFFLINE }), { aspects: [new PolicyPack()] });
      const settings = new LakeFormationSettings(stack, 'settings', { administrators: ['arn:aws:iam::000000000000:role/lake-admin'] });
      new LakeLocations(stack, 'locations', { lake, settings });
      expect(() => synthesize(stack)).not.toThrow();
    });
  });
});
