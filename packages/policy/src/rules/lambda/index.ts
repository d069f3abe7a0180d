import { Rule } from '../../rule';
import { lambdaConcurrencyLimit } from './lambda-concurrency-limit';
import { lambdaDeadLetter } from './lambda-dead-letter';
import { lambdaNoPlaintextSecrets } from './lambda-no-plaintext-secrets';

/** Lambda rules. */
export const LAMBDA_RULES: readonly Rule[] = [lambdaDeadLetter, lambdaConcurrencyLimit, lambdaNoPlaintextSecrets];
