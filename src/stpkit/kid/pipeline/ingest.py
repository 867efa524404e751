"""Reading provider extracts through their contracts, file by file, as Arrow batches.

Every file is checked before any is loaded: it must be UTF-8 CSV with every column its
contract declares. Each row keeps its file and line number so that a quarantined row can be
found again in the identifiable zone. Rule checks on rows (dates, codes, duplicates) are SQL
in `stpkit.kid.pipeline.stages`, so that DuckDB and Spark apply the same rules.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from stpkit.kid.errors import ContractError
from stpkit.kid.pipeline.contracts import CONTRACTS, Contract

BLOCK_SIZE = 1 << 24
SCAN_THREADS = min(4, os.cpu_count() or 1)


@dataclass(frozen=True)
class ExtractFile:
    """One delivered file: which contract it follows, where it is, and its content hash."""

    contract: Contract
    path: Path
    relpath: str
    sha256: str
    data_rows: int = -1  # lines after the header (-1: not counted)


def file_sha256(path: Path) -> str:
    return _scan(path)[0]


def _scan(path: Path) -> tuple[str, int]:
    """The file's SHA-256 and its number of data rows (lines after the header), one pass."""
    digest = hashlib.sha256()
    newlines, last = 0, b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    lines = newlines + (1 if last not in (b"", b"\n") else 0)
    return digest.hexdigest(), max(lines - 1, 0)


def discover(raw_dir: Path) -> list[ExtractFile]:
    """Every extract file under the raw directory, by contract and name (stable order).

    The same content delivered twice (same hash) is read once: loading a file again
    changes nothing.
    """
    if not raw_dir.is_dir():
        raise ContractError(f"{raw_dir}: raw extract directory does not exist")
    found = [
        (contract, path)
        for contract in CONTRACTS.values()
        for path in sorted((raw_dir / contract.folder).glob("*.csv"))
    ]
    # SHA-256 releases the GIL on large buffers: two files hash at once on two cores
    with ThreadPoolExecutor(max_workers=SCAN_THREADS) as pool:
        scanned = list(pool.map(_scan, [path for _, path in found]))
    files: list[ExtractFile] = []
    seen: set[str] = set()
    for (contract, path), (digest, rows) in zip(found, scanned, strict=True):
        if digest in seen:
            continue
        seen.add(digest)
        files.append(ExtractFile(contract, path, str(path.relative_to(raw_dir)), digest, rows))
    if not any(f.contract.name == "registry" for f in files):
        raise ContractError(f"{raw_dir / 'registry'}: no registered-population file (*.csv)")
    return files


def check_header(extract: ExtractFile) -> list[str]:
    """Read the header line; refuse a file that is not UTF-8 CSV with the declared columns."""
    path, contract = extract.path, extract.contract
    try:
        with path.open("rb") as handle:
            first = handle.readline()  # the header only: later rows are checked as rows
        header = next(csv.reader([first.decode("utf-8-sig").rstrip("\r\n")]), None)
    except UnicodeDecodeError as exc:
        raise ContractError(
            f"{path}: row 1 (header): not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc
    except csv.Error as exc:
        raise ContractError(f"{path}: row 1 (header): not a CSV file ({exc})") from exc
    if not header:
        raise ContractError(f"{path}: row 1 (header): empty file, expected a header row")
    missing = [col for col in contract.columns.values() if col not in header]
    if missing:
        raise ContractError(
            f"{path}: row 1 (header): field '{missing[0]}' missing from the "
            f"{contract.name} contract's columns (missing: {', '.join(missing)}; found: "
            f"{', '.join(header[:12])})"
        )
    return header


def read_batches(extract: ExtractFile) -> Iterator[pa.RecordBatch]:
    """The file's rows as string columns, canonical names, plus its file and line number."""
    contract = extract.contract
    header = check_header(extract)
    rename = {source: canonical for canonical, source in contract.columns.items()}
    wanted = list(contract.columns.values())
    options = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in header},
        include_columns=wanted,
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    try:
        reader = pacsv.open_csv(
            extract.path,
            read_options=pacsv.ReadOptions(block_size=BLOCK_SIZE, encoding="utf8"),
            convert_options=options,
        )
    except pa.ArrowInvalid as exc:
        where = locate_problem(extract, header) or f"not readable as UTF-8 CSV ({exc})"
        raise ContractError(f"{extract.path}: {where}") from exc
    line = 2
    try:
        for batch in reader:
            n = batch.num_rows
            arrays = [batch.column(col) for col in wanted]
            names = [rename[col] for col in wanted]
            arrays += [
                pa.repeat(pa.scalar(extract.relpath, pa.string()), n),
                pa.array(np.arange(line, line + n, dtype=np.int64)),  # no Python int per row
            ]
            names += ["source_file", "row_number"]
            line += n
            yield pa.RecordBatch.from_arrays(arrays, names=names)
    except pa.ArrowInvalid as exc:
        where = locate_problem(extract, header) or f"from row {line}: {exc}"
        raise ContractError(
            f"{extract.path}: {where}; not valid for the {contract.name} contract "
            f"(UTF-8 CSV with {len(header)} columns)"
        ) from exc
    read = line - 2
    if extract.data_rows >= 0 and read != extract.data_rows:
        # every line must be one row, or row numbers (and counts in) would not reconcile
        where = locate_problem(extract, header) or "quoted values spanning lines"
        raise ContractError(
            f"{extract.path}: {where}; {extract.data_rows} lines after the header but "
            f"{read} rows read, so rows would not reconcile with the file"
        )


def locate_problem(extract: ExtractFile, header: list[str]) -> str | None:
    """The first row that is not one well-formed UTF-8 CSV line: row number, field, why.

    Only called after the fast reader has refused a file, so it can afford to go line by line.
    """
    with extract.path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                fields = next(csv.reader([raw.decode("utf-8", "replace")]), [])
                bad = [i for i, value in enumerate(fields) if "\ufffd" in value]
                name = header[bad[0]] if bad and bad[0] < len(header) else "?"
                return (
                    f"row {number}, field '{name}': not UTF-8 text (byte 0x{raw[exc.start]:02x}; "
                    "the contract requires UTF-8)"
                )
            stripped = text.rstrip("\r\n")
            if not stripped.strip():
                return f"row {number}: blank line (every line after the header must be a row)"
            fields = next(csv.reader([stripped]), [])
            if len(fields) != len(header):
                field = header[len(fields)] if len(fields) < len(header) else "(extra)"
                return (
                    f"row {number}, field '{field}': {len(fields)} values where the header has "
                    f"{len(header)} columns"
                )
            if stripped.count('"') % 2:
                return f"row {number}: a quoted value runs onto the next line"
    return None


def contract_schema(contract: Contract) -> pa.Schema:
    fields = [pa.field(name, pa.string()) for name in contract.columns]
    return pa.schema([*fields, pa.field("source_file", pa.string()), ("row_number", pa.int64())])


def reader_for(
    contract: Contract, files: list[ExtractFile], failures: list[ContractError] | None = None
) -> pa.RecordBatchReader:
    """One streaming reader over all of a contract's files (nothing held in memory).

    An engine consuming the stream wraps a failure in its own exception type; the
    contract error is also appended to `failures` so the caller can report it as it is.
    """
    mine = [f for f in files if f.contract.name == contract.name]

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            for extract in mine:
                yield from read_batches(extract)
        except ContractError as exc:
            if failures is not None:
                failures.append(exc)
            raise

    return pa.RecordBatchReader.from_batches(contract_schema(contract), batches())
