import { DATASET_NAME_FIX, DATASET_NAME_RE, Validator, describeValue } from '@data-platform/core';
import { Token } from 'cdktf';

/** Records a problem on `v` unless `name` is a valid dataset name (it becomes part of names and addresses). */
export function checkDatasetName(v: Validator, name: string): void {
  if (Token.isUnresolved(name)) return;
  v.check(DATASET_NAME_RE.test(name), 'name', `is ${describeValue(name)}; ${DATASET_NAME_FIX}`);
}
