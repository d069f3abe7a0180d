import { TerraformResource } from 'cdktf';
import { IConstruct } from 'constructs';

const ADDRESS_RE = /^bootstrap_[a-z0-9_]{1,54}$/;

/**
 * Marks a stateful resource of the bootstrap stack (the state bucket, its key, its log bucket):
 * pins its Terraform address to `address` and sets `lifecycle.prevent_destroy` always, whatever
 * the environment's `protect` says: Terraform state is never disposable, in no environment.
 *
 * Call it right after creating the resource, before anything references it. (core's `stateful()`
 * does the same for platform stacks, but needs a PlatformStack and follows `protect`.)
 *
 * @param address `bootstrap_<role>`, e.g. `bootstrap_state_bucket`
 * @returns the resource, for chaining
 */
export function protectState<T extends TerraformResource>(resource: T, address: string): T {
  if (!ADDRESS_RE.test(address)) {
    throw new Error(`protectState(): address "${address}" must be "bootstrap_" and lowercase letters, digits and "_" (at most 64 in all)`);
  }
  resource.overrideLogicalId(address);
  resource.lifecycle = { ...resource.lifecycle, preventDestroy: true };
  return resource;
}

/** Terraform addresses (`<type>.<name>`) of the resources under `scope` that are protected from destroy. */
export function protectedAddresses(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .filter((c): c is TerraformResource => c instanceof TerraformResource && c.lifecycle?.preventDestroy === true)
    .map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`)
    .sort();
}
