"""lake_io: helpers the platform's Glue ETL scripts share (arguments, S3 paths, replacing files).

Uploaded once per environment beside the job scripts and passed to every ETL job with
--extra-py-files, so a job script imports it as a module: `from lake_io import split_s3`.
"""

import sys
from urllib.parse import urlparse

from awsglue.utils import getResolvedOptions

# S3 DeleteObjects takes at most 1000 keys a request.
DELETE_BATCH = 1000


def optional_argument(name, default):
    """The value of --<name> when the job was started with it, else `default`."""
    if f"--{name}" in sys.argv:
        return getResolvedOptions(sys.argv, [name])[name]
    return default


def split_s3(path):
    """(bucket, key prefix ending in "/") of an s3:// path."""
    parsed = urlparse(path)
    if parsed.scheme not in ("s3", "s3a", "s3n") or not parsed.netloc:
        raise ValueError(f"{path} is not an s3:// path")
    prefix = parsed.path.lstrip("/")
    return parsed.netloc, prefix if prefix == "" or prefix.endswith("/") else prefix + "/"


def table_name(path, argument):
    """The catalog table of a path: its last folder, as a catalog name (`daily_revenue`)."""
    folders = [part for part in split_s3(path)[1].split("/") if part]
    if not folders:
        raise ValueError(f"{path} has no folder to name the table after; pass --{argument}")
    return folders[-1].lower().replace("-", "_")


def list_keys(s3, bucket, prefix):
    """Every object key under `prefix`."""
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys.extend(item["Key"] for item in page.get("Contents", []))
    return keys


def delete_keys(s3, bucket, keys):
    """Deletes `keys` (files a run replaced), in batches; fails when S3 reports any it could not delete."""
    for start in range(0, len(keys), DELETE_BATCH):
        batch = keys[start:start + DELETE_BATCH]
        response = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True})
        errors = response.get("Errors", [])
        if errors:
            raise RuntimeError(f"could not delete {len(errors)} replaced object(s), e.g. {errors[0]}")
