import { Construct } from 'constructs';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LakeformationResource } from '@cdktf/provider-aws/lib/lakeformation-resource';
import { PlatformStack, ServiceRole, ZONES, Zone } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { LakeFormationSettings } from './lake-formation-settings';

/** The service that assumes the registration role to vend credentials for the zones. */
export const LAKE_FORMATION_SERVICE = 'lakeformation.amazonaws.com';

/** Props of {@link LakeLocations}. */
export interface LakeLocationsProps {
  /** The lake whose zone buckets are registered. */
  readonly lake: DataLake;
  /**
   * The account's Lake Formation settings: the zones are registered in hybrid access mode exactly
   * when the settings keep IAM-only defaults (`hybridAccess`), so both always agree; in the same
   * stack, they are registered once the administrators are in place.
   */
  readonly settings: LakeFormationSettings;
}

/**
 * Registers the lake's zone buckets (raw, processed, curated) with Lake Formation, so it governs
 * the data under them and vends temporary credentials to the engines that query it (Athena, Glue,
 * QuickSight, SageMaker) on behalf of principals it has granted.
 *
 * - One `aws_lakeformation_resource` per zone bucket, registered with a role of its own, not
 *   Lake Formation's service-linked role: the zone buckets are encrypted with the lake's KMS key,
 *   whose policy delegates to IAM in this account, and the service-linked role gets no permission
 *   on that key.
 * - The registration role is trusted by lakeformation.amazonaws.com on behalf of this account only
 *   (`aws:SourceAccount`, the confused-deputy guard Lake Formation documents) and may read and
 *   write every zone bucket through `DataLake.grantRead`/`grantWrite`/`grantDelete` (objects, listing, the lake
 *   key through S3). Credentials Lake Formation vends are scoped down from it.
 * - `hybrid_access_enabled` follows {@link LakeFormationSettings.hybridAccess}: in hybrid access
 *   mode, principals not opted in to Lake Formation keep reaching the data through IAM alone.
 * - Each registration is created after the role's policies, so Lake Formation never vends
 *   credentials of a role that cannot reach the bucket yet, and after the Lake Formation settings
 *   when these are in the same stack ({@link LakeFormationSettings.after}), so the deploy role
 *   registers them as an administrator.
 *
 * Registrations hold no data (deregistering and registering again restores them), so they are not
 * stateful; their addresses are pinned so a refactor never registers a bucket twice while
 * deregistering it: `aws_lakeformation_resource.governance_<zone>_location`.
 *
 * Whoever deploys needs `lakeformation:RegisterResource` and `iam:PassRole` on the registration role.
 *
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/registration-role.html
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/register-encrypted.html
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/cross-service-confused-deputy-prevention.html
 */
export class LakeLocations extends Construct {
  /** The role Lake Formation assumes to reach the zone buckets. */
  readonly role: ServiceRole;
  /** One registration per zone bucket; depend on it before granting DATA_LOCATION_ACCESS on the zone. */
  readonly registrations: Readonly<Record<Zone, LakeformationResource>>;
  /** The lake whose zones are registered. */
  readonly lake: DataLake;

  constructor(scope: Construct, id: string, props: LakeLocationsProps) {
    super(scope, id);
    const { lake, settings } = props;
    const { env } = PlatformStack.of(this);
    this.lake = lake;

    this.role = new ServiceRole(this, 'role', {
      layer: 'governance',
      service: LAKE_FORMATION_SERVICE,
      name: 'lake-locations',
      description: `Lake Formation reads and writes the zone buckets of the ${env.project}-${env.name} lake with it, for the principals it grants`,
    });

    const registrations = {} as Record<Zone, LakeformationResource>;
    for (const zone of ZONES) {
      // Lake Formation vends credentials bounded by this role: deletes (DELETE, INSERT OVERWRITE) need it too.
      const policies: IamRolePolicy[] = [lake.grantRead(this.role.role, zone), lake.grantWrite(this.role.role, zone), lake.grantDelete(this.role.role, zone)];
      const registration = new LakeformationResource(this, `${zone}-location`, {
        arn: lake.zones[zone].arn,
        roleArn: this.role.arn,
        hybridAccessEnabled: settings.hybridAccess,
        dependsOn: [...policies, ...settings.after(this)],
      });
      registration.overrideLogicalId(`governance_${zone}_location`);
      registrations[zone] = registration;
    }
    this.registrations = registrations;
  }
}
