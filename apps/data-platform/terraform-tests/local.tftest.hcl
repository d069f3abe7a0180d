# Simulated apply of the offline `local` environment with a mocked AWS provider (`terraform test`).
# Run by scripts/ladder.test.ts, which copies this file into the synthesized stack's tests/ folder.
# The mock returns made-up values for computed attributes; these assertions check what we set.

mock_provider "aws" {
  # Resources that take ARNs validate their shape; the mock's random strings would fail it.
  mock_resource "aws_quicksight_data_source" {
    defaults = {
      arn = "arn:aws:quicksight:eu-west-1:000000000000:datasource/mock"
    }
  }
  mock_resource "aws_quicksight_data_set" {
    defaults = {
      arn = "arn:aws:quicksight:eu-west-1:000000000000:dataset/mock"
    }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = {
      arn = "arn:aws:states:eu-west-1:000000000000:stateMachine:mock"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:000000000000:key/00000000-0000-0000-0000-000000000000"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::000000000000:role/mock"
    }
  }
  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::mock-bucket"
    }
  }
  mock_resource "aws_kinesis_stream" {
    defaults = {
      arn = "arn:aws:kinesis:eu-west-1:000000000000:stream/mock"
    }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:000000000000:mock"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:000000000000:log-group:mock"
    }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn = "arn:aws:lambda:eu-west-1:000000000000:function:mock"
    }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:eu-west-1:000000000000:table/mock"
    }
  }
  mock_resource "aws_ecs_cluster" {
    defaults = {
      arn = "arn:aws:ecs:eu-west-1:000000000000:cluster/mock"
    }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = {
      arn = "arn:aws:ecs:eu-west-1:000000000000:task-definition/mock:1"
    }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:000000000000:rule/mock"
    }
  }
  mock_resource "aws_dms_replication_instance" {
    defaults = {
      replication_instance_arn = "arn:aws:dms:eu-west-1:000000000000:rep:MOCK"
    }
  }
  mock_resource "aws_dms_endpoint" {
    defaults = {
      endpoint_arn = "arn:aws:dms:eu-west-1:000000000000:endpoint:MOCKSOURCE"
    }
  }
  mock_resource "aws_dms_s3_endpoint" {
    defaults = {
      endpoint_arn = "arn:aws:dms:eu-west-1:000000000000:endpoint:MOCKTARGET"
    }
  }
  mock_resource "aws_glue_catalog_table" {
    defaults = {
      arn = "arn:aws:glue:eu-west-1:000000000000:table/mock/mock"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:000000000000:mock"
    }
  }
  mock_resource "aws_cloudwatch_metric_alarm" {
    defaults = {
      arn = "arn:aws:cloudwatch:eu-west-1:000000000000:alarm:mock"
    }
  }
  mock_resource "aws_glue_catalog_database" {
    defaults = {
      arn = "arn:aws:glue:eu-west-1:000000000000:database/mock"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

run "simulated_apply" {
  command = apply

  assert {
    condition     = aws_s3_bucket.lake_raw_bucket.bucket == "adp-local-lake-raw-000000000000"
    error_message = "The raw zone bucket is named <project>-<env>-<layer>-<zone>-<account>."
  }

  assert {
    condition = alltrue([
      for b in [aws_s3_bucket.lake_raw_bucket, aws_s3_bucket.lake_processed_bucket, aws_s3_bucket.lake_curated_bucket,
      aws_s3_bucket.lake_athena_results_bucket, aws_s3_bucket.lake_access_logs_bucket] : b.force_destroy == false
    ])
    error_message = "No lake bucket may be force-destroyed with its objects."
  }

  assert {
    condition     = aws_kms_key.lake_key.enable_key_rotation == true
    error_message = "The lake key rotates."
  }

  assert {
    condition = alltrue([
      for v in [aws_s3_bucket_versioning.lake_raw_versioning, aws_s3_bucket_versioning.lake_processed_versioning,
      aws_s3_bucket_versioning.lake_curated_versioning, aws_s3_bucket_versioning.lake_athena_results_versioning,
      aws_s3_bucket_versioning.lake_access_logs_versioning] : v.versioning_configuration[0].status == "Enabled"
    ])
    error_message = "Every lake bucket is versioned."
  }

  assert {
    condition = alltrue([
      for e in [aws_s3_bucket_server_side_encryption_configuration.lake_raw_encryption,
        aws_s3_bucket_server_side_encryption_configuration.lake_processed_encryption,
        aws_s3_bucket_server_side_encryption_configuration.lake_curated_encryption,
      aws_s3_bucket_server_side_encryption_configuration.lake_athena_results_encryption] :
      one(e.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms" &&
      one(e.rule).apply_server_side_encryption_by_default[0].kms_master_key_id == aws_kms_key.lake_key.arn
    ])
    error_message = "Zone and Athena results buckets are encrypted with the lake key."
  }

  assert {
    condition = alltrue([
      for p in [aws_s3_bucket_public_access_block.lake_raw_public_access_block,
        aws_s3_bucket_public_access_block.lake_processed_public_access_block,
        aws_s3_bucket_public_access_block.lake_curated_public_access_block,
        aws_s3_bucket_public_access_block.lake_athena_results_public_access_block,
      aws_s3_bucket_public_access_block.lake_access_logs_public_access_block] :
      p.block_public_acls && p.block_public_policy && p.ignore_public_acls && p.restrict_public_buckets
    ])
    error_message = "Public access is blocked on every lake bucket."
  }

  assert {
    condition     = aws_s3_bucket_logging.lake_raw_logging.target_bucket == aws_s3_bucket.lake_access_logs_bucket.id
    error_message = "The raw zone logs its access to the access-logs bucket."
  }

  assert {
    condition     = aws_glue_catalog_database.lake_raw_database.name == "adp_local_lake_raw"
    error_message = "Each zone has its Glue database, named with underscores."
  }

  assert {
    condition     = aws_kinesis_stream.ingest_clickstream_stream.encryption_type == "KMS" && aws_kinesis_stream.ingest_clickstream_stream.kms_key_id == aws_kms_key.lake_key.arn
    error_message = "The clickstream Kinesis stream is encrypted with the lake key."
  }

  assert {
    condition     = aws_glue_catalog_table.ingest_clickstream_table.database_name == aws_glue_catalog_database.lake_raw_database.name
    error_message = "The clickstream table (Parquet conversion schema) lives in the raw zone's database."
  }

  assert {
    condition = (
      aws_dynamodb_table.ingest_image_catalog_catalog.billing_mode == "PAY_PER_REQUEST" &&
      one(aws_dynamodb_table.ingest_image_catalog_catalog.point_in_time_recovery).enabled &&
      one(aws_dynamodb_table.ingest_image_catalog_catalog.server_side_encryption).kms_key_arn == aws_kms_key.lake_key.arn
    )
    error_message = "The image catalog table is on-demand, point-in-time recoverable and encrypted with the lake key."
  }

  assert {
    condition     = aws_sns_topic.observability_alerts_topic.kms_master_key_id == aws_kms_key.lake_key.arn
    error_message = "The alert topic is encrypted with the lake key."
  }

  assert {
    condition     = aws_lakeformation_data_lake_settings.governance_lake_settings.admins == toset(["arn:aws:iam::000000000000:role/adp-local-admin"]) && length(aws_lakeformation_data_lake_settings.governance_lake_settings.create_database_default_permissions) == 0 && length(aws_lakeformation_data_lake_settings.governance_lake_settings.create_table_default_permissions) == 0
    error_message = "Lake Formation has the configured administrators and no IAM_ALLOWED_PRINCIPALS defaults for new databases and tables."
  }

  assert {
    condition     = aws_glue_catalog_table.lake_daily_revenue_table.database_name == aws_glue_catalog_database.lake_curated_database.name && one(aws_glue_catalog_table.lake_daily_revenue_table.storage_descriptor).location == "s3://${aws_s3_bucket.lake_curated_bucket.bucket}/daily_revenue/"
    error_message = "The managed daily_revenue table lives in the curated database, at its prefix of the curated bucket."
  }

  assert {
    condition     = contains(aws_lakeformation_lf_tag.governance_sensitivity_lf_tag.values, "pii")
    error_message = "The sensitivity LF-tag has its configured values."
  }

  assert {
    condition     = aws_sagemaker_domain.ml_studio_domain.app_network_access_type == "VpcOnly" && aws_sagemaker_domain.ml_studio_domain.kms_key_id == aws_kms_key.lake_key.arn && aws_sagemaker_domain.ml_studio_domain.auth_mode == "IAM"
    error_message = "The Studio domain is VPC-only, IAM-authenticated and encrypted with the lake key."
  }
}
