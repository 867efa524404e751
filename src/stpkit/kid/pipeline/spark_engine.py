"""The Spark engine: the same stages (transpiled SQL); linkage runs beside it (`build_link`).

Local mode (`local[2]`) in tests and benchmarks; on a cluster, pass an existing session.
Every stage's result is checkpointed locally so that later stages do not recompute it.
Extracts are streamed from Arrow into Parquet in the engine's scratch directory and read
by Spark from there (local mode; on a cluster that directory must be shared storage).
Small tables are written through Arrow as single Parquet files; activity is written by
Spark, partitioned by month, exactly as the DuckDB engine lays it out.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from stpkit.kid.pipeline.duckdb_engine import to_spark_sql

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def local_session(master: str = "local[2]", memory: str = "2g") -> SparkSession:
    """A local SparkSession with Splink's similarity functions on the classpath."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master(master)
        .appName("stpkit-kid")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", memory)
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.legacy.timeParserPolicy", "CORRECTED")
        .getOrCreate()
    )


class SparkEngine:
    name = "spark"

    def __init__(self, spark: SparkSession, owns_session: bool = False) -> None:
        self.spark = spark
        self._owns = owns_session
        self._tmp = tempfile.mkdtemp(prefix="stpkit-kid-spark-")
        self.spark.sparkContext.setCheckpointDir(self._tmp)

    @classmethod
    def local(cls) -> SparkEngine:
        return cls(local_session(), owns_session=True)

    def _register(self, name: str, df: Any) -> None:
        df = df.localCheckpoint(eager=True)
        df.createOrReplaceTempView(name)

    def load_reader(self, name: str, reader: pa.RecordBatchReader) -> None:
        """Stream the batches to a local Parquet file and let Spark read it (no driver-side
        table, no oversized tasks); the file lives as long as the engine."""
        path = Path(self._tmp) / f"{name}.parquet"
        with pq.ParquetWriter(path, reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
        self.spark.read.parquet(str(path)).createOrReplaceTempView(name)

    def load_table(self, name: str, table: pa.Table) -> None:
        self.load_reader(name, table.to_reader())

    def stage_reader(self, name: str, source: str, reader: pa.RecordBatchReader, sql: str) -> None:
        self.load_reader(source, reader)
        self.create(name, sql)
        self.drop(source)

    def create(self, name: str, sql: str) -> None:
        self._register(name, self.spark.sql(to_spark_sql(sql)))

    def create_view(self, name: str, sql: str) -> None:
        self.create(name, sql)  # checkpointed: Spark would otherwise recompute the lineage

    def arrow(self, sql: str) -> pa.Table:
        table: pa.Table = self.spark.sql(to_spark_sql(sql)).toArrow()
        return table

    def count(self, name: str) -> int:
        return int(self.spark.table(name).count())

    def drop(self, name: str) -> None:
        if self.spark.catalog.tableExists(name):
            self.spark.table(name).unpersist()
            self.spark.catalog.dropTempView(name)

    def write_parquet(self, name: str, path: Path, partition_by: str | None = None) -> None:
        df = self.spark.table(name)
        if partition_by:
            df.write.mode("overwrite").partitionBy(partition_by).parquet(str(path))
            for junk in path.rglob("*"):
                if junk.name.startswith(("_", ".")) and junk.is_file():
                    junk.unlink()
        else:
            table = df.toArrow()
            pq.write_table(table, path)

    @contextmanager
    def lend_memory(self, keep: str) -> Iterator[None]:
        """Nothing to lend: Spark's memory is the JVM's, fixed when the session starts."""
        yield

    def close(self) -> None:
        if self._owns:
            self.spark.stop()
        shutil.rmtree(self._tmp, ignore_errors=True)
