import { Rule } from '../../rule';
import { statefulNoForceDestroy } from './stateful-no-force-destroy';
import { statefulPreventDestroy } from './stateful-prevent-destroy';

/** Rules that protect stateful resources from being destroyed with their data. */
export const PROTECTION_RULES: readonly Rule[] = [statefulPreventDestroy, statefulNoForceDestroy];
