"""customer_features: processed orders -> one row of churn-model features per customer, curated.

Input: the processed `orders` table orders_clean.py writes and catalogs (one row per existing
order: order_id, customer_id, status, amount, ordered_at, order_date, and customer_country or
country when the source has one), read through the catalog: --source_database, table named after
the last folder of --source_path (`orders`, or --source_table).

Output, --target_path (e.g. s3://<curated>/customer_features/): Parquet files of the table
`customer_features` the environment file declares (lake.tables), one row per customer with at least
one counted order:

    customer_id            bigint         pseudonymous customer id (personal data: tagged pii)
    country                string         upper-case country of the latest order (UNKNOWN when none)
    first_order_date       date           date of the first counted order
    tenure_days            int            days from first_order_date to the as-of date
    orders_90d             int            counted orders in the 90 days before the as-of date
    revenue_90d            decimal(18,2)  their amounts summed (0 when none)
    days_since_last_order  int            days from the latest counted order to the as-of date

The as-of date is --as_of (yyyy-MM-dd) when given, else today (UTC). Orders whose status is
cancelled, canceled or refunded do not count, as in orders_curate.py.

Each run rebuilds the whole table (features are relative to the as-of date): it lists the files the
table holds, writes the new ones, then deletes the listed ones. A failure in between leaves rows
twice for a while, never missing; the next run replaces both. The job runs without bookmarks.
"""

import sys
from datetime import date, datetime

import boto3
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from lake_io import delete_keys, list_keys, optional_argument, split_s3, table_name
from pyspark.context import SparkContext
from pyspark.sql import functions as F
from pyspark.sql.window import Window

WINDOW_DAYS = 90
REVENUE_TYPE = "decimal(18,2)"
EXCLUDED_STATUSES = ("cancelled", "canceled", "refunded")
COUNTRY_COLUMNS = ("customer_country", "country")
UNKNOWN_COUNTRY = "UNKNOWN"
COLUMNS = ("customer_id", "country", "first_order_date", "tenure_days", "orders_90d", "revenue_90d", "days_since_last_order")


def as_of_date():
    text = optional_argument("as_of", None)
    return datetime.strptime(text, "%Y-%m-%d").date() if text else datetime.utcnow().date()


def features(orders, as_of):
    """One row per customer of `orders` with a counted order on or before `as_of`."""
    as_of_col = F.lit(as_of.isoformat()).cast("date")
    orders = orders.withColumn("order_date", F.col("order_date").cast("date")).filter(F.col("customer_id").isNotNull())
    orders = orders.filter(F.col("order_date") <= as_of_col)
    if "status" in orders.columns:
        orders = orders.filter(~F.lower(F.trim(F.coalesce(F.col("status"), F.lit("")))).isin(*EXCLUDED_STATUSES))

    country = next((c for c in COUNTRY_COLUMNS if c in orders.columns), None)
    country_value = F.coalesce(F.upper(F.trim(F.col(country))), F.lit(UNKNOWN_COUNTRY)) if country else F.lit(UNKNOWN_COUNTRY)
    latest = Window.partitionBy("customer_id").orderBy(F.col("order_date").desc(), F.col("order_id").desc())
    countries = (
        orders.withColumn("_rank", F.row_number().over(latest))
        .filter(F.col("_rank") == 1)
        .select("customer_id", country_value.alias("country"))
    )

    recent = F.col("order_date") > F.date_sub(as_of_col, WINDOW_DAYS)
    totals = orders.groupBy("customer_id").agg(
        F.min("order_date").alias("first_order_date"),
        F.max("order_date").alias("_last_order_date"),
        F.count(F.when(recent, F.lit(1))).cast("int").alias("orders_90d"),
        F.coalesce(F.sum(F.when(recent, F.col("amount"))), F.lit(0)).cast(REVENUE_TYPE).alias("revenue_90d"),
    )
    return (
        totals.join(countries, "customer_id", "left")
        .withColumn("customer_id", F.col("customer_id").cast("bigint"))
        .withColumn("tenure_days", F.datediff(as_of_col, F.col("first_order_date")).cast("int"))
        .withColumn("days_since_last_order", F.datediff(as_of_col, F.col("_last_order_date")).cast("int"))
        .select(*COLUMNS)
    )


def main():
    args = getResolvedOptions(sys.argv, ["JOB_NAME", "source_path", "source_database", "target_path", "target_database"])
    source_table = optional_argument("source_table", None) or table_name(args["source_path"], "source_table")
    target_path = args["target_path"]
    bucket, prefix = split_s3(target_path)
    as_of = as_of_date()
    if as_of > date.today():
        raise ValueError(f"--as_of {as_of} is in the future")

    sc = SparkContext.getOrCreate()
    glue_context = GlueContext(sc)
    spark = glue_context.spark_session
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    logger = glue_context.get_logger()
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    s3 = boto3.client("s3")

    # Not bookmarked (no transformation_ctx): features need every order, not only new files.
    orders = glue_context.create_dynamic_frame.from_catalog(database=args["source_database"], table_name=source_table).toDF()
    replaced = list_keys(s3, bucket, prefix)
    if "customer_id" in orders.columns and len(orders.head(1)) > 0:
        result = features(orders, as_of)
        # The table (lake.tables) is unpartitioned and its schema is Terraform's: plain files, no catalog update.
        result.write.mode("append").option("compression", "snappy").parquet(target_path)
        logger.info(f"customer_features: wrote features as of {as_of} to {target_path}")
    else:
        logger.info("customer_features: no processed orders; the table is emptied")
    delete_keys(s3, bucket, replaced)
    logger.info(f"customer_features: replaced {len(replaced)} file(s) of {args['target_database']}.customer_features")
    job.commit()


if __name__ == "__main__":
    main()
