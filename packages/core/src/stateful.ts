import { TerraformResource } from 'cdktf';
import { PlatformStack } from './platform-stack';

const ADDRESS_RE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Marks a stateful resource (bucket, key, catalog database, table, stream, DynamoDB table).
 *
 * - Pins its Terraform address to `address` (from its role and config key, e.g.
 *   `lake_raw_bucket`), so renaming a class or moving a construct never moves it. Call it right
 *   after creating the resource, before anything references it.
 * - Sets `lifecycle.prevent_destroy` when the environment is protected.
 * - Records the address on the stack, for tests and the plan guard.
 *
 * @returns the resource, for chaining
 */
export function stateful<T extends TerraformResource>(resource: T, address: string): T {
  if (!ADDRESS_RE.test(address)) {
    throw new Error(`stateful(): address "${address}" must be lowercase letters, digits and "_" (at most 64), starting with a letter`);
  }
  const stack = PlatformStack.of(resource);
  const full = `${resource.terraformResourceType}.${address}`;
  if (stack.statefulAddresses.has(full)) {
    throw new Error(`stateful(): ${full} is already used in stack ${stack.node.id}; give each stateful resource its own address`);
  }
  resource.overrideLogicalId(address);
  stack.statefulAddresses.add(full);
  if (stack.env.protect) {
    resource.lifecycle = { ...resource.lifecycle, preventDestroy: true };
  }
  return resource;
}
