"""A fresh SQLite database made from the models in one step (`core.schema`) is the database
the migrations make: the same tables, columns, indexes, foreign keys and checks, the same
migrations recorded as applied, the same content types and permissions."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

_MAKE = """
from stpkit.cli.django_setup import setup_django
setup_django()
from django.core.management import call_command
from stpkit.web.core.schema import migrate
print(migrate() if {fast} else call_command("migrate", interactive=False, verbosity=0))
"""

_NAME = re.compile(r'^CREATE (UNIQUE )?INDEX "[^"]+"')


def _build(path: Path, *, fast: bool) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "STPKIT_DATA_DIR": str(path.parent / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-c", _MAKE.format(fast=fast)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _describe(path: Path) -> dict[str, object]:
    """Every table's columns, indexes (by columns and condition, not name), foreign keys and
    CHECK clauses, in an order that does not depend on how the table was built."""
    db = sqlite3.connect(path)
    described: dict[str, object] = {}
    tables = [
        r[0]
        for r in db.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
        )
    ]
    for table in tables:
        columns = sorted(tuple(r[1:]) for r in db.execute(f'pragma table_info("{table}")'))
        indexes = sorted(
            (
                unique,
                origin,
                partial,
                tuple(c[2] for c in db.execute(f'pragma index_info("{name}")')),
            )
            for _, name, unique, origin, partial in db.execute(f'pragma index_list("{table}")')
        )
        index_sql = sorted(
            _NAME.sub("CREATE INDEX", sql)
            for (sql,) in db.execute(
                "select sql from sqlite_master where type = 'index' and tbl_name = ?"
                " and sql is not null",
                (table,),
            )
        )
        keys = sorted(tuple(r[2:5]) for r in db.execute(f'pragma foreign_key_list("{table}")'))
        (create,) = db.execute("select sql from sqlite_master where name = ?", (table,)).fetchone()
        checks = sorted(re.findall(r"CHECK \((.*?)\)(?=,|\)$| )", create))
        described[table] = (columns, indexes, index_sql, keys, checks)
    for query in (
        "select app, name from django_migrations",
        "select app_label, model from django_content_type",
        "select codename from auth_permission",
    ):
        described[query] = sorted(db.execute(query).fetchall())
    db.close()
    return described


@pytest.mark.slow
def test_a_fresh_database_from_the_models_matches_one_from_the_migrations(
    tmp_path: Path,
) -> None:
    assert _build(tmp_path / "fast.db", fast=True) == "created"
    _build(tmp_path / "migrated.db", fast=False)
    fast, migrated = _describe(tmp_path / "fast.db"), _describe(tmp_path / "migrated.db")
    assert len(migrated) > 90
    assert sorted(fast) == sorted(migrated)
    for key in migrated:
        assert fast[key] == migrated[key], key
    checks = sum(len(v[-1]) for v in migrated.values() if isinstance(v, tuple))
    assert checks > 10  # the CHECK clauses were read, so their comparison means something
    # a database that already has tables is migrated the ordinary way
    assert _build(tmp_path / "fast.db", fast=True) == "migrated"
