"""orders_curate: processed orders -> daily revenue, curated.

Input: the processed `orders` table orders_clean.py writes and catalogs (one row per existing
order, partitioned by order_date), read through the catalog: --source_database, table named after
the last folder of --source_path (`orders`, or --source_table).

Output, --target_path (e.g. s3://<curated>/daily_revenue/): one row per day with at least one
order, as Parquet partitioned by order_month (yyyy-MM), cataloged as the table named after the
path's last folder (`daily_revenue`, or --target_table) in --target_database, whose schema the
environment file declares (lake.tables; this job only adds partitions to it):

    order_date          date            the UTC date of the orders
    orders              bigint          orders that count as revenue that day
    customers           bigint          distinct customers among them
    revenue             decimal(18,2)   sum of their amounts (0 when none counts)
    revenue_by_country  map<string, decimal(18,2)>
                                        revenue per customer country (upper case, UNKNOWN when
                                        missing) when the orders carry one (a customer_country
                                        or country column); null otherwise
    order_month         string          partition: yyyy-MM of order_date

Orders whose status is cancelled, canceled or refunded do not count (no status column: all count).
Amounts are summed as they are: the orders are expected in one currency.

Each run:
1. reads the processed orders files added since the last committed run (job bookmarks) to find the
   months they touch; with bookmarks disabled, every month of the input and of the output is
   rebuilt (a full rebuild, which also drops months the input no longer has);
2. recomputes those months from every processed order in them (catalog partition pruning);
3. writes the recomputed months as new files through the catalog sink, then deletes the files those
   months held before, and commits the bookmark. A failure in between leaves a month's rows twice
   for a while, never missing; the retry rebuilds the month and deletes every file it listed.

Bookmarks see new files only: when changes delete every order of a day and no other day of its
month gets new files, that day keeps its last row until a run with bookmarks disabled.
"""

import sys

import boto3
from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from lake_io import delete_keys, list_keys, optional_argument, split_s3, table_name
from pyspark.context import SparkContext
from pyspark.sql import functions as F

DAY = "order_date"
MONTH = "order_month"
REVENUE_TYPE = "decimal(18,2)"
EXCLUDED_STATUSES = ("cancelled", "canceled", "refunded")
COUNTRY_COLUMNS = ("customer_country", "country")
UNKNOWN_COUNTRY = "UNKNOWN"


def bookmarks_enabled():
    """False when the run was started with `--job-bookmark-option job-bookmark-disable`."""
    argv = sys.argv
    for i, token in enumerate(argv):
        if token == "--job-bookmark-option" and i + 1 < len(argv):
            return argv[i + 1] != "job-bookmark-disable"
        if token.startswith("--job-bookmark-option="):
            return token.split("=", 1)[1] != "job-bookmark-disable"
    return True


def output_months(s3, bucket, prefix):
    """The months the output holds: its `order_month=<yyyy-MM>/` folders."""
    months = set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{prefix}{MONTH}=", Delimiter="/"):
        for common in page.get("CommonPrefixes", []):
            months.add(common["Prefix"][len(prefix) + len(MONTH) + 1:].rstrip("/"))
    return months


def month_of(column):
    return F.date_format(F.col(column).cast("date"), "yyyy-MM")


def daily_revenue(orders):
    """One row per order_date of `orders`, with the columns described above."""
    orders = orders.withColumn(DAY, F.col(DAY).cast("date"))
    counts = F.lit(True)
    if "status" in orders.columns:
        counts = ~F.lower(F.trim(F.coalesce(F.col("status"), F.lit("")))).isin(*EXCLUDED_STATUSES)
    orders = orders.withColumn("_counts", counts)
    amount = F.when(F.col("_counts"), F.col("amount"))
    customer = F.when(F.col("_counts"), F.col("customer_id")) if "customer_id" in orders.columns else F.lit(None).cast("bigint")
    daily = orders.groupBy(DAY).agg(
        F.count(F.when(F.col("_counts"), F.lit(1))).alias("orders"),
        F.countDistinct(customer).alias("customers"),
        F.coalesce(F.sum(amount), F.lit(0)).cast(REVENUE_TYPE).alias("revenue"),
    )

    country = next((c for c in COUNTRY_COLUMNS if c in orders.columns), None)
    if country is None:
        daily = daily.withColumn("revenue_by_country", F.lit(None).cast(f"map<string,{REVENUE_TYPE}>"))
    else:
        by_country = (
            orders.filter(F.col("_counts"))
            .withColumn("_country", F.coalesce(F.upper(F.trim(F.col(country))), F.lit(UNKNOWN_COUNTRY)))
            .groupBy(DAY, "_country")
            .agg(F.coalesce(F.sum("amount"), F.lit(0)).cast(REVENUE_TYPE).alias("_revenue"))
            .groupBy(DAY)
            .agg(F.map_from_entries(F.collect_list(F.struct("_country", "_revenue"))).alias("revenue_by_country"))
        )
        daily = daily.join(by_country, DAY, "left")
    return daily.withColumn(MONTH, month_of(DAY)).select(DAY, "orders", "customers", "revenue", "revenue_by_country", MONTH)


def main():
    args = getResolvedOptions(sys.argv, ["JOB_NAME", "source_path", "source_database", "target_path", "target_database"])
    source_table = optional_argument("source_table", None) or table_name(args["source_path"], "source_table")
    target_path = args["target_path"]
    target_table = optional_argument("target_table", None) or table_name(target_path, "target_table")
    bucket, prefix = split_s3(target_path)

    sc = SparkContext.getOrCreate()
    glue_context = GlueContext(sc)
    glue_context.spark_session.conf.set("spark.sql.session.timeZone", "UTC")
    logger = glue_context.get_logger()
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    s3 = boto3.client("s3")

    added = glue_context.create_dynamic_frame.from_catalog(
        database=args["source_database"],
        table_name=source_table,
        transformation_ctx="processed_orders",
    ).toDF()
    months = set()
    if DAY in added.columns:
        months = {row[MONTH] for row in added.select(month_of(DAY).alias(MONTH)).distinct().collect() if row[MONTH] is not None}
    if not bookmarks_enabled():
        months |= output_months(s3, bucket, prefix)
    if not months:
        logger.info("orders_curate: no new processed orders; nothing to do")
        job.commit()
        return
    months = sorted(months)

    quoted = ", ".join(f"'{month}'" for month in months)
    # Not bookmarked (no transformation_ctx): every order of the months, not only the new files.
    orders = glue_context.create_dynamic_frame.from_catalog(
        database=args["source_database"],
        table_name=source_table,
        push_down_predicate=f"date_format({DAY}, 'yyyy-MM') in ({quoted})",
    ).toDF()

    # The files each rebuilt month holds now; the new files written below are not among them.
    replaced = [key for month in months for key in list_keys(s3, bucket, f"{prefix}{MONTH}={month}/")]

    if DAY in orders.columns and len(orders.head(1)) > 0:
        sink = glue_context.getSink(
            connection_type="s3",
            path=target_path,
            enableUpdateCatalog=True,
            # LOG: add new partitions only. The table's schema is a contract kept in lake.tables
            # (Terraform); a job that rewrote it would drift from the plan.
            updateBehavior="LOG",
            partitionKeys=[MONTH],
            transformation_ctx="daily_revenue",
        )
        sink.setFormat("glueparquet", compression="snappy")
        sink.setCatalogInfo(catalogDatabase=args["target_database"], catalogTableName=target_table)
        sink.writeFrame(DynamicFrame.fromDF(daily_revenue(orders), glue_context, "daily_revenue"))

    delete_keys(s3, bucket, replaced)
    logger.info(f"orders_curate: rebuilt {len(months)} month(s) of {args['target_database']}.{target_table}, replacing {len(replaced)} file(s)")
    job.commit()


if __name__ == "__main__":
    main()
