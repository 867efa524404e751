"""Where the SQL of `stpkit.kid.pipeline.stages` runs: DuckDB on one machine, Spark at scale.

Both engines expose the same few operations (load Arrow, create a table from SQL, read a
result as Arrow, write Parquet; linkage runs beside them, `linkage.build_link`); the stages
are written once in DuckDB's SQL and transpiled with sqlglot for Spark.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

import duckdb
import pyarrow as pa
import sqlglot

from stpkit.kid.pipeline.contracts import DATE_FORMATS, SPARK_DATE_FORMATS


class Engine(Protocol):
    name: str

    def load_reader(self, name: str, reader: pa.RecordBatchReader) -> None: ...
    def load_table(self, name: str, table: pa.Table) -> None: ...
    def stage_reader(
        self, name: str, source: str, reader: pa.RecordBatchReader, sql: str
    ) -> None: ...
    def create(self, name: str, sql: str) -> None: ...
    def create_view(self, name: str, sql: str) -> None: ...
    def arrow(self, sql: str) -> pa.Table: ...
    def count(self, name: str) -> int: ...
    def drop(self, name: str) -> None: ...
    def write_parquet(self, name: str, path: Path, partition_by: str | None = None) -> None: ...
    def lend_memory(self, keep: str) -> AbstractContextManager[None]: ...
    def close(self) -> None: ...


class DuckDBEngine:
    """In-process DuckDB, spilling to a temporary directory beyond its memory limit."""

    name = "duckdb"

    def __init__(self, memory_limit: str = "4GB", threads: int | None = None) -> None:
        self._limit = memory_limit
        self._tmp = tempfile.mkdtemp(prefix="stpkit-kid-duckdb-")
        self.con = duckdb.connect()
        self.run(f"SET memory_limit = '{memory_limit}'")
        self.run(f"SET temp_directory = '{self._tmp}'")
        self.run("SET preserve_insertion_order = false")
        self.run("SET enable_progress_bar = false")
        if threads:
            self.run(f"SET threads = {threads}")

    @contextmanager
    def lend_memory(self, keep: str) -> Iterator[None]:
        """Hold at most `keep` while the block runs, and the full limit again after: the
        link stage's own DuckDB works beside this one, and the tables held here meanwhile
        (the identified activity) are not read, so they wait in the temporary directory
        rather than the two together passing the machine's budget."""
        self.run(f"SET memory_limit = '{keep}'")
        try:
            yield
        finally:
            self.run(f"SET memory_limit = '{self._limit}'")

    def run(self, sql: str) -> None:
        """Execute a statement and finish its result (DuckDB 2 keeps results open)."""
        self.con.execute(sql).fetchall()

    def load_reader(self, name: str, reader: pa.RecordBatchReader) -> None:
        self.con.register("__incoming", reader)
        try:
            self.run(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM __incoming")
        finally:
            self.con.unregister("__incoming")

    def load_table(self, name: str, table: pa.Table) -> None:
        self.load_reader(name, table.to_reader())

    concurrent_staging = True  # stage_reader may run from several threads at once

    def stage_reader(self, name: str, source: str, reader: pa.RecordBatchReader, sql: str) -> None:
        """Create `name` from `sql` reading the stream as `source`, in one pass: the raw
        extract is never stored as a table of its own (one copy of the data fewer).

        On a cursor of its own, so that two extracts can stage at once from two threads:
        one stream is parsed and checked on about one core, so one at a time leaves the
        other core idle for the whole ingest."""
        cursor = self.con.cursor()
        try:
            cursor.register(source, reader)
            cursor.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}").fetchall()
        finally:
            cursor.close()

    def create(self, name: str, sql: str) -> None:
        self.run(f"CREATE OR REPLACE TABLE {name} AS {sql}")

    def create_view(self, name: str, sql: str) -> None:
        """A result read once (written straight to Parquet): not materialised in memory."""
        self.run(f"CREATE OR REPLACE VIEW {name} AS {sql}")

    def arrow(self, sql: str) -> pa.Table:
        return self.con.sql(sql).to_arrow_table()

    def count(self, name: str) -> int:
        rows = self.con.execute(f"SELECT count(*) FROM {name}").fetchall()
        return int(rows[0][0])

    def _kind(self, name: str) -> str | None:
        kind = self.con.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchall()
        return str(kind[0][0]) if kind else None

    def drop(self, name: str) -> None:
        kind = self._kind(name)
        if kind:
            self.run(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} {name}")

    def write_parquet(self, name: str, path: Path, partition_by: str | None = None) -> None:
        if partition_by:
            self._write_partitioned(name, path, partition_by)
        else:
            self.run(f"COPY {name} TO '{path}' (FORMAT parquet)")

    def _write_partitioned(self, name: str, path: Path, column: str) -> None:
        """Hive layout (`column=value/data_0.parquet`), one plain COPY per value.

        The result is computed once into a table and each value's rows copied out with a
        filter: DuckDB's PARTITION_BY spent about twice the CPU of plain writes of the same
        rows (measured on the activity table), and a filtered scan is cheap beside a write.
        """
        table = name
        if self._kind(name) == "VIEW":
            table = f"__partitioned_{name}"
            self.create(table, f"SELECT * FROM {name}")
        try:
            values = self.con.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()
            for (value,) in values:
                where = f"{column} IS NULL" if value is None else f"{column} = ?"
                folder = path / f"{column}={'NULL' if value is None else value}"
                folder.mkdir(parents=True, exist_ok=True)
                target = str(folder / "data_0.parquet").replace("'", "''")
                sql = f"SELECT * EXCLUDE ({column}) FROM {table} WHERE {where}"
                self.con.execute(
                    f"COPY ({sql}) TO '{target}' (FORMAT parquet)",
                    [] if value is None else [value],
                ).fetchall()
        finally:
            if table != name:
                self.run(f"DROP TABLE {table}")

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self._tmp, ignore_errors=True)


def to_spark_sql(sql: str) -> str:
    """Transpile a stage's DuckDB SQL to Spark SQL (date parsing mapped by hand)."""
    out = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
    out = out.replace("TRY_STRPTIME(", "TRY_TO_TIMESTAMP(")
    for style, fmt in DATE_FORMATS.items():
        out = out.replace(f"'{fmt}'", f"'{SPARK_DATE_FORMATS[style]}'")
    # DuckDB's regexp_replace needs 'g' for all matches; Spark always replaces all.
    return re.sub(r"REGEXP_REPLACE\(([^;]*?), 'g'\)", r"REGEXP_REPLACE(\1)", out)
