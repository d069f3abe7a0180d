import { Rule } from '../../rule';
import { quicksightNoPublicSharing } from './quicksight-no-public-sharing';

/** QuickSight rules. */
export const QUICKSIGHT_RULES: readonly Rule[] = [quicksightNoPublicSharing];
