"""Glue streaming job: clickstream events from Kinesis to Parquet in the lake.

Reads the Kinesis data stream named by --stream_arn in micro-batches of --window_size, keeps
its position in --checkpoint_location (a restart resumes where the last committed batch ended;
the very first run starts at the oldest record the stream keeps), and for each batch:

1. cleans the events: trims and lowercases ``event_type``, parses ``occurred_at`` (ISO-8601
   text, or epoch milliseconds) to a UTC timestamp, and drops malformed rows (no ``event_id``,
   an ``event_type`` that is not a lowercase word, an unparseable or implausible ``occurred_at``)
   and events repeated within the batch (Kinesis delivers at least once);
2. enriches them with ``event_date`` (the UTC date of ``occurred_at``) and ``ingested_at``;
3. appends them as Parquet under --target_path, partitioned by ``event_date``/``event_type``;
4. adds the batch's partitions to the catalog table --target_database.--target_table when a
   crawler has created it (until then the crawler finds them on its next run).

Arguments (set by the StreamingJob construct): JOB_NAME, stream_arn, target_path,
checkpoint_location, window_size, target_database, target_table.
"""

import re
import sys
from datetime import timedelta

import boto3
from botocore.exceptions import ClientError
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import functions as F

ARGS = getResolvedOptions(
    sys.argv,
    [
        "JOB_NAME",
        "stream_arn",
        "target_path",
        "checkpoint_location",
        "window_size",
        "target_database",
        "target_table",
    ],
)

REQUIRED_COLUMNS = ("event_id", "event_type", "occurred_at")
PARTITION_COLUMNS = ("event_date", "event_type")
EVENT_TYPE_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
# Events stamped further ahead than this are clock errors, not events from the future.
MAX_CLOCK_SKEW = timedelta(days=1)
# Events older than this are malformed (a zero or seconds-instead-of-milliseconds timestamp).
EARLIEST_EVENT = "2000-01-01 00:00:00"
# Glue's BatchCreatePartition takes at most 100 partitions per call.
PARTITION_BATCH_SIZE = 100
# Storage descriptor fields a partition takes over from its table.
PARTITION_SD_FIELDS = (
    "Columns",
    "InputFormat",
    "OutputFormat",
    "Compressed",
    "NumberOfBuckets",
    "SerdeInfo",
    "BucketColumns",
    "SortColumns",
    "Parameters",
    "StoredAsSubDirectories",
)

spark_context = SparkContext.getOrCreate()
glue_context = GlueContext(spark_context)
spark = glue_context.spark_session
logger = glue_context.get_logger()
job = Job(glue_context)
job.init(ARGS["JOB_NAME"], ARGS)

# Dates and timestamps are UTC whatever the workers' zone; no _SUCCESS marker per batch (it
# would land among the data files every window).
spark.conf.set("spark.sql.session.timeZone", "UTC")
spark_context._jsc.hadoopConfiguration().set("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")

TARGET_PATH = ARGS["target_path"].rstrip("/") + "/"
# The stream ARN names the region: arn:<partition>:kinesis:<region>:<account>:stream/<name>.
glue_client = boto3.client("glue", region_name=ARGS["stream_arn"].split(":")[3])


def with_safe_column_names(frame):
    """Renames top-level columns whose names Parquet rejects (spaces, commas, braces, "=")."""
    for column in frame.columns:
        safe = re.sub(r"[ ,;{}()\n\t=]", "_", column)
        if safe != column:
            frame = frame.withColumnRenamed(column, safe)
    return frame


def with_required_columns(frame):
    """Adds the required columns a batch lacks (schema inference sees only the batch's records)."""
    for column in REQUIRED_COLUMNS:
        if column not in frame.columns:
            frame = frame.withColumn(column, F.lit(None).cast("string"))
    return frame


def clean(frame):
    """Typed, validated, deduplicated events of one batch, with event_date and ingested_at."""
    frame = with_required_columns(with_safe_column_names(frame))
    occurred_text = F.trim(F.col("occurred_at").cast("string"))
    occurred_at = F.coalesce(
        F.to_timestamp(occurred_text),
        # Epoch milliseconds, as numbers or digit strings.
        F.when(occurred_text.rlike(r"^\d{12,14}$"), F.expr("timestamp_millis(cast(trim(cast(occurred_at as string)) as bigint))")),
    )
    latest = F.current_timestamp() + F.expr(f"INTERVAL {int(MAX_CLOCK_SKEW.total_seconds())} SECONDS")
    events = (
        frame.withColumn("event_id", F.trim(F.col("event_id").cast("string")))
        .withColumn("event_type", F.lower(F.trim(F.col("event_type").cast("string"))))
        .withColumn("occurred_at", occurred_at)
        .where(F.col("event_id").isNotNull() & (F.length("event_id") > 0))
        .where(F.col("event_type").isNotNull() & F.col("event_type").rlike(EVENT_TYPE_PATTERN))
        .where(F.col("occurred_at").isNotNull())
        .where((F.col("occurred_at") >= F.lit(EARLIEST_EVENT).cast("timestamp")) & (F.col("occurred_at") <= latest))
        .dropDuplicates(["event_id"])
        .withColumn("event_date", F.to_date("occurred_at"))
        .withColumn("ingested_at", F.current_timestamp())
    )
    # Columns inferred from the JSON keep their names, except ones Parquet or Hive cannot hold.
    return events.drop(*[c for c in events.columns if c.startswith("$")])


def partition_location(event_date, event_type):
    """The folder Spark writes one partition to under TARGET_PATH."""
    return f"{TARGET_PATH}event_date={event_date}/event_type={event_type}/"


def register_partitions(partitions, batch_id):
    """Adds `partitions` ((date, type) pairs) to the target table, if a crawler has created it."""
    database, table_name = ARGS["target_database"], ARGS["target_table"]
    try:
        table = glue_client.get_table(DatabaseName=database, Name=table_name)["Table"]
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code == "EntityNotFoundException":
            logger.info(f"batch {batch_id}: no table {database}.{table_name} yet; the crawler will add its partitions")
        else:
            logger.warn(f"batch {batch_id}: cannot read table {database}.{table_name} ({code}); partitions not added")
        return
    keys = [key["Name"] for key in table.get("PartitionKeys", [])]
    if keys != list(PARTITION_COLUMNS):
        logger.warn(f"batch {batch_id}: {database}.{table_name} is partitioned by {keys}, not {list(PARTITION_COLUMNS)}; partitions not added")
        return
    descriptor = {k: v for k, v in table["StorageDescriptor"].items() if k in PARTITION_SD_FIELDS}
    inputs = [
        {
            "Values": [event_date, event_type],
            "StorageDescriptor": {**descriptor, "Location": partition_location(event_date, event_type)},
        }
        for event_date, event_type in partitions
    ]
    for start in range(0, len(inputs), PARTITION_BATCH_SIZE):
        chunk = inputs[start : start + PARTITION_BATCH_SIZE]
        try:
            response = glue_client.batch_create_partition(DatabaseName=database, TableName=table_name, PartitionInputList=chunk)
        except ClientError as error:
            logger.warn(f"batch {batch_id}: adding partitions to {database}.{table_name} failed: {error}")
            return
        for failure in response.get("Errors", []):
            detail = failure.get("ErrorDetail", {})
            if detail.get("ErrorCode") != "AlreadyExistsException":
                logger.warn(f"batch {batch_id}: partition {failure.get('PartitionValues')} not added: {detail}")


def process_batch(frame, batch_id):
    """Cleans one micro-batch, appends it to the target and registers its partitions."""
    if len(frame.head(1)) == 0:
        return
    events = clean(frame).persist()
    try:
        partitions = sorted(
            {(row["event_date"].isoformat(), row["event_type"]) for row in events.select(*PARTITION_COLUMNS).distinct().collect()}
        )
        if not partitions:
            logger.info(f"batch {batch_id}: no valid events")
            return
        events.write.mode("append").partitionBy(*PARTITION_COLUMNS).parquet(TARGET_PATH)
        register_partitions(partitions, batch_id)
        logger.info(f"batch {batch_id}: wrote {len(partitions)} partition(s) to {TARGET_PATH}")
    finally:
        events.unpersist()


source = glue_context.create_data_frame.from_options(
    connection_type="kinesis",
    connection_options={
        "streamARN": ARGS["stream_arn"],
        "startingPosition": "TRIM_HORIZON",
        "inferSchema": "true",
        "classification": "json",
    },
    transformation_ctx="source",
)

glue_context.forEachBatch(
    frame=source,
    batch_function=process_batch,
    options={
        "windowSize": ARGS["window_size"],
        "checkpointLocation": ARGS["checkpoint_location"],
    },
)
job.commit()
