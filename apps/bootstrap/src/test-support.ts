/** Helpers of the bootstrap tests. */
import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EnvironmentInput, testApp, testEnvironment } from '@data-platform/core';

/** The `ci` section of the test environments: a repository and a plan role. */
export const CI = { repository: 'acme/data-platform', planRole: 'arn:aws:iam::111111111111:role/adp-plan' } as const;

/** The dev environment of account 111111111111, ready to bootstrap (`overrides` applied as the loader would). */
export const devEnvironment = (overrides: Partial<EnvironmentInput> = {}) => testEnvironment({ name: 'dev', ci: CI, ...overrides });

/** An empty stack with an AWS provider, for a construct under test. */
export function providerStack(id = 'bootstrap-dev'): TerraformStack {
  const stack = new TerraformStack(testApp(), id);
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}
