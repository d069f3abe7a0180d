import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';

/**
 * What a consumer layer (bi, ml) needs of a governance persona: the role Lake Formation grants
 * to, and the Athena workgroup its queries run in.
 *
 * The governance layer builds one per `governance.personas` entry; consumers take it as a prop
 * instead of a role or workgroup name, so a renamed persona is a type error, not a broken plan.
 */
export interface PersonaAccess {
  /** The persona's key in `governance.personas`. */
  readonly name: string;
  /** The persona's IAM role; its Lake Formation grants decide what it sees. */
  readonly role: IamRole;
  /** The persona's Athena workgroup (enforced settings, results in the lake's results bucket). */
  readonly workgroup: AthenaWorkgroup;
}
