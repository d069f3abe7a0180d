# Simulated apply of the offline `local` environment with a mocked AWS provider (`terraform test`).
# Run by scripts/ladder.test.ts, which copies this file into the synthesized stack's tests/ folder.
# The mock returns made-up values for computed attributes; these assertions check what we set.

mock_provider "aws" {
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
}
