import { Rule, fail, notApplicable, pass } from '../../rule';
import { block, isTrue } from '../../stack-view';

/**
 * Resource types that hold data or keys to it: destroying one loses what it holds. The same
 * list as core's `stateful()` helper documents (buckets, keys, catalog databases and tables,
 * streams, DynamoDB tables), plus LF-tags, Studio domains and model registry groups.
 */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = [
  'aws_s3_bucket',
  'aws_kms_key',
  'aws_glue_catalog_database',
  'aws_glue_catalog_table',
  'aws_kinesis_stream',
  'aws_dynamodb_table',
  // LF-tags: deleting one removes it from every resource it is on, and with it the grants by tag.
  'aws_lakeformation_lf_tag',
  // Studio's domain holds every user's home directory (EFS); the registry group holds model versions.
  'aws_sagemaker_domain',
  'aws_sagemaker_model_package_group',
];

/**
 * In a protected environment (staging, prod: `stack.context.protect`), every stateful resource
 * has `lifecycle.prevent_destroy`, so a plan that would destroy it (a rename, a replacement, a
 * removed construct) fails instead. core's `stateful()` helper sets it.
 */
export const statefulPreventDestroy: Rule = {
  id: 'stateful-prevent-destroy',
  severity: 'high',
  resourceTypes: STATEFUL_RESOURCE_TYPES,
  description: 'In a protected environment, a stateful resource (bucket, key, catalog database or table, stream, DynamoDB table, LF-tag, Studio domain, model registry group) has lifecycle.prevent_destroy.',
  rationale:
    'A renamed construct, a changed logical id or a forced replacement shows up as one line in a long plan; prevent_destroy turns it into an error before data, or the key to it, is deleted.',
  check(resource, stack) {
    if (!stack.context.protect) {
      return notApplicable(`environment ${stack.context.environment} is not protected`);
    }
    if (isTrue(block(resource.config.lifecycle)?.prevent_destroy)) return pass();
    return fail(
      `has no lifecycle.prevent_destroy in protected environment ${stack.context.environment}; create it through core's stateful() helper, which pins its address and sets prevent_destroy when the environment is protected`,
    );
  },
};
