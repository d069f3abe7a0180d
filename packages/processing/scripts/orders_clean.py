"""orders_clean: the `orders` table DMS replicates into the raw zone -> its current state, processed.

Input, --source_path (e.g. s3://<raw>/orders/public/orders/): the Parquet files AWS DMS writes for
the PostgreSQL table public.orders. A full load (LOAD*.parquet) and change files, every row with
`Op` (I, U or D; full-load rows are I) and `dms_commit_ts` (the source commit time; the task start
for full-load rows, so the latest row of an order is its current version). The table's columns:

    order_id     bigint (primary key)     status       text
    customer_id  bigint                   amount       numeric(12,2)
    ordered_at   timestamptz              updated_at   timestamptz

Other columns (e.g. customer_country) pass through unchanged. A delete may carry only the key.

Output, --target_path (e.g. s3://<processed>/orders/): one row per order that exists, its latest
version, as Parquet partitioned by order_date (the UTC date of ordered_at), with dms_commit_ts
kept, cataloged as the table named after the path's last folder (`orders`, or --target_table) in
--target_database. The sink creates the table on the first run and adds partitions and columns.

Each run:
1. reads the DMS files added since the last committed run (job bookmarks; all of them when
   bookmarks are disabled, which rebuilds every partition the files touch);
2. casts the columns and keeps the latest change per order_id (by dms_commit_ts; at equal times a
   delete beats an update, which beats an insert, as within one transaction);
3. finds the order_date partitions the changes touch: the new dates of inserted and updated
   orders, and the dates the changed orders had in the output (an order whose date changed, or
   that was deleted, leaves its old partition; this reads the key column of the whole output);
4. rebuilds those partitions from their current rows and the changes, by the same rule (existing
   rows rank as inserts), dropping deleted orders;
5. writes the rebuilt partitions as new files through the catalog sink, then deletes the files
   those partitions held before, and commits the bookmark.

A failure between writing and deleting leaves duplicates in a partition for a while, never a gap:
the bookmark is not committed, so the retry reads the same changes and dedupes the partition by
the same rule, then deletes every file it listed. The lake's buckets are versioned: deleted files
stay recoverable as noncurrent versions until the zone's lifecycle expires them.

Runs with the job's --TempDir, under a security configuration that encrypts what it writes with the
lake key; one run at a time (the job allows no concurrent runs).
"""

import sys

import boto3
from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from lake_io import delete_keys, list_keys, optional_argument, split_s3, table_name
from pyspark.context import SparkContext
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

KEY = "order_id"
PARTITION = "order_date"
OP = "Op"
COMMIT_TS = "dms_commit_ts"
# Source columns and the types the output has; others pass through as read.
COLUMNS = {
    "order_id": "bigint",
    "customer_id": "bigint",
    "status": "string",
    "amount": "decimal(12,2)",
    "ordered_at": "timestamp",
    "updated_at": "timestamp",
}
# Columns a change file must have (a delete's other columns may be null, not absent).
REQUIRED = ("order_id", "amount", "ordered_at", COMMIT_TS)
# At equal commit times, the operation that wins.
OP_RANK = {"D": 3, "U": 2, "I": 1}


def has_rows(df):
    return bool(df.columns) and len(df.head(1)) > 0


def normalize(changes):
    """The DMS columns cast to the output's types, Op upper case (I when absent), order_date added."""
    missing = [column for column in REQUIRED if column not in changes.columns]
    if missing:
        raise ValueError(f"the DMS files lack column(s) {', '.join(missing)}; has the source table changed?")
    df = changes
    for column, data_type in COLUMNS.items():
        value = F.col(column) if column in df.columns else F.lit(None)
        df = df.withColumn(column, value.cast(data_type))
    op = F.coalesce(F.upper(F.trim(F.col(OP))), F.lit("I")) if OP in df.columns else F.lit("I")
    return (
        df.withColumn(OP, op)
        .withColumn(COMMIT_TS, F.col(COMMIT_TS).cast("timestamp"))
        .withColumn(PARTITION, F.to_date(F.col("ordered_at")))
    )


def latest_per_key(df):
    """One row per order_id: the latest by dms_commit_ts, ties going to D, then U, then I."""
    rank = F.coalesce(*[F.when(F.col(OP) == op, F.lit(value)) for op, value in OP_RANK.items()], F.lit(0))
    window = Window.partitionBy(KEY).orderBy(F.col(COMMIT_TS).desc_nulls_last(), rank.desc())
    return df.withColumn("_row", F.row_number().over(window)).filter(F.col("_row") == 1).drop("_row")


def has_parquet(s3, bucket, prefix):
    """True when a Parquet file is under `prefix` (the output has been written before)."""
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        if any(item["Key"].endswith(".parquet") for item in page.get("Contents", [])):
            return True
    return False


def main():
    args = getResolvedOptions(sys.argv, ["JOB_NAME", "source_path", "target_path", "target_database"])
    target_path = args["target_path"]
    target_table = optional_argument("target_table", None) or table_name(target_path, "target_table")
    bucket, prefix = split_s3(target_path)

    sc = SparkContext.getOrCreate()
    glue_context = GlueContext(sc)
    spark = glue_context.spark_session
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    logger = glue_context.get_logger()
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    s3 = boto3.client("s3")

    raw = glue_context.create_dynamic_frame.from_options(
        connection_type="s3",
        connection_options={"paths": [args["source_path"]], "recurse": True},
        format="parquet",
        transformation_ctx="dms_orders",
    )
    # Files written by different DMS task versions may disagree on a column's type; read it as a
    # string and let normalize() cast it.
    changes = raw.resolveChoice(choice="cast:string").toDF()
    if not has_rows(changes):
        logger.info("orders_clean: no new DMS files; nothing to do")
        job.commit()
        return

    changes = normalize(changes).persist()
    unusable = F.col(KEY).isNull() | ((F.col(OP) != "D") & F.col(PARTITION).isNull())
    skipped = changes.filter(unusable).count()
    if skipped:
        logger.warn(f"orders_clean: skipping {skipped} change(s) without order_id, or without ordered_at on an insert or update")
    changes = latest_per_key(changes.filter(~unusable)).persist()

    existing = None
    if has_parquet(s3, bucket, prefix):
        existing = (
            spark.read.option("basePath", target_path)
            .option("mergeSchema", "true")
            # Only data files: Glue's S3 writer may leave zero-byte `<folder>_$folder$` markers.
            .option("pathGlobFilter", "*.parquet")
            .parquet(target_path)
            .withColumn(PARTITION, F.col(PARTITION).cast("date"))
        )

    new_dates = changes.filter(F.col(OP) != "D").select(PARTITION)
    touched = new_dates
    if existing is not None:
        touched = touched.union(existing.join(changes.select(KEY), KEY, "left_semi").select(PARTITION))
    dates = sorted(row[PARTITION] for row in touched.distinct().collect() if row[PARTITION] is not None)
    if not dates:
        logger.info("orders_clean: the changes delete only orders the output does not have; nothing to write")
        job.commit()
        return

    candidates = changes
    if existing is not None:
        current = existing.filter(F.col(PARTITION).isin(dates)).withColumn(OP, F.lit("I"))
        candidates = current.unionByName(changes, allowMissingColumns=True)
    rebuilt = latest_per_key(candidates).filter(F.col(OP) != "D").drop(OP)

    # The files each touched partition holds now: Spark listed the same ones when `existing` was
    # read, and the new files written below are not among them.
    replaced = [key for day in dates for key in list_keys(s3, bucket, f"{prefix}{PARTITION}={day.isoformat()}/")]

    sink = glue_context.getSink(
        connection_type="s3",
        path=target_path,
        enableUpdateCatalog=True,
        updateBehavior="UPDATE_IN_DATABASE",
        partitionKeys=[PARTITION],
        transformation_ctx="processed_orders",
    )
    sink.setFormat("glueparquet", compression="snappy")
    sink.setCatalogInfo(catalogDatabase=args["target_database"], catalogTableName=target_table)
    sink.writeFrame(DynamicFrame.fromDF(rebuilt, glue_context, "processed_orders"))

    delete_keys(s3, bucket, replaced)
    logger.info(f"orders_clean: rebuilt {len(dates)} order_date partition(s) of {args['target_database']}.{target_table}, replacing {len(replaced)} file(s)")
    job.commit()


if __name__ == "__main__":
    main()
