import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { NAME_LIMITS, PlatformStack } from '@data-platform/core';

export interface ServiceRoleProps {
  /** Service principal that assumes the role, e.g. `lambda.amazonaws.com`. */
  readonly service: string;
  /** Name part after `<project>-<env>-ingestion-`, e.g. `clickstream-firehose`. */
  readonly name: string;
  readonly description: string;
}

/**
 * An IAM role a single AWS service assumes, only on behalf of this account
 * (`aws:SourceAccount`), with no permissions until {@link ServiceRole.allow} adds them.
 */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly arn: string;
  readonly name: string;
  private policies = 0;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: [props.service] }],
          actions: ['sts:AssumeRole'],
          // Confused-deputy guard: the service acts for this account only.
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [stack.env.account] }],
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      name: stack.resourceName('ingestion', props.name, { maxLength: NAME_LIMITS.iamRole }),
      description: props.description,
      assumeRolePolicy: trust.json,
    });
    this.arn = this.role.arn;
    this.name = this.role.name;
  }

  /**
   * Attaches an inline policy with `statements` (each naming its actions and resources).
   * @param purpose short kebab-case word for the policy's name and id, e.g. `read-stream`
   */
  allow(purpose: string, statements: DataAwsIamPolicyDocumentStatement[]): IamRolePolicy {
    const n = this.policies++;
    const doc = new DataAwsIamPolicyDocument(this, `${purpose}-document`, { statement: statements });
    return new IamRolePolicy(this, `${purpose}-policy`, {
      name: `${purpose}-${n}`,
      role: this.role.name,
      policy: doc.json,
    });
  }
}
