import { Rule } from '../../rule';
import { sagemakerKms } from './sagemaker-kms';
import { sagemakerNoDirectInternet } from './sagemaker-no-direct-internet';
import { sagemakerVpc } from './sagemaker-vpc';

/** SageMaker rules. */
export const SAGEMAKER_RULES: readonly Rule[] = [sagemakerKms, sagemakerNoDirectInternet, sagemakerVpc];
