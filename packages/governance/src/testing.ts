import { Construct } from 'constructs';
import { PlatformStack, ServiceRole } from '@data-platform/core';
import { DataLake } from '@data-platform/lake';
import { PersonaWorkgroup } from './athena-workgroup';
import { PersonaAccess } from './persona-access';

/** Options of {@link testPersona}. */
export interface TestPersonaOptions {
  /** The persona's name. */
  readonly name: string;
  /** The service that assumes its role, e.g. `quicksight.amazonaws.com`. */
  readonly service: string;
}

/**
 * A persona for tests of the consumer layers (bi, ml), without Lake Formation: a role the given
 * service assumes and the persona's real Athena workgroup ({@link PersonaWorkgroup}), in `scope`
 * (a governance stack of the test, or the single stack). Test helper: only tests use it.
 */
export function testPersona(scope: Construct, lake: DataLake, options: TestPersonaOptions): PersonaAccess {
  PlatformStack.of(scope);
  const { name, service } = options;
  const role = new ServiceRole(scope, `${name}-persona`, { layer: 'governance', service, name: `${name}-persona`, description: `The ${name} persona (test)` });
  const workgroup = new PersonaWorkgroup(scope, `${name}-workgroup`, { lake, persona: name, role: role.role, bytesScannedCutoffMb: 1024 });
  return { name, role: role.role, workgroup: workgroup.workgroup };
}
