import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Layer } from '../config/schema';
import { NAME_LIMITS } from '../naming';
import { PlatformStack } from '../platform-stack';

export interface ServiceRoleProps {
  /** The layer the role belongs to (part of its name). */
  readonly layer: Layer;
  /** Service principal that assumes the role, e.g. `glue.amazonaws.com`. */
  readonly service: string;
  /** Name part after `<project>-<env>-<layer>-`, e.g. `orders-clean-job`. */
  readonly name: string;
  readonly description: string;
}

/**
 * An IAM role a single AWS service assumes, only on behalf of this account
 * (`aws:SourceAccount`, the confused-deputy guard), with no permissions until
 * {@link ServiceRole.allow} (or a lake grant) adds them.
 */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly arn: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: [props.service] }],
          actions: ['sts:AssumeRole'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [stack.env.account] }],
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      name: stack.resourceName(props.layer, props.name, { maxLength: NAME_LIMITS.iamRole }),
      description: props.description,
      assumeRolePolicy: trust.json,
    });
    this.arn = this.role.arn;
    this.name = this.role.name;
  }

  /**
   * Attaches an inline policy with `statements` (each naming its actions and resources).
   * @param purpose short kebab-case word, unique within the role: the policy's name and id
   *   (e.g. `read-stream`), so adding a policy never renames another
   */
  allow(purpose: string, statements: DataAwsIamPolicyDocumentStatement[]): IamRolePolicy {
    const doc = new DataAwsIamPolicyDocument(this, `${purpose}-document`, { statement: statements });
    return new IamRolePolicy(this, `${purpose}-policy`, {
      name: purpose,
      role: this.role.name,
      policy: doc.json,
    });
  }
}
