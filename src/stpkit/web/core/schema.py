"""Bring the app database up to date, creating a fresh SQLite database in one step.

Running the migrations from the first makes Django re-render its model state after every
operation: on a new database that costs about 50 times the work of creating the tables
(tens of seconds of `make demo` on a busy machine, for no data to move). A fresh SQLite
database (no tables at all) is created instead straight from the current models, every
migration is recorded as applied, and `post_migrate` runs as `migrate` would run it
(content types, permissions). This is only right while the models and the migrations
agree, which `makemigrations --check` enforces in `make lint`; the test
tests/web/test_schema.py compares a database made each way, table by table and index by
index. Any database that already holds tables is migrated the ordinary way, so upgrades
still run every migration, data migrations included (the only one, consultation 0002,
rewrites existing rows and has nothing to do on an empty database).
"""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

__all__ = ["create_fresh_sqlite", "migrate"]


def migrate(database: str = "default") -> str:
    """Create a fresh SQLite database from the models, else run `migrate`; returns which
    ("created" or "migrated")."""
    if create_fresh_sqlite(database):
        return "created"
    call_command("migrate", database=database, interactive=False, verbosity=0)
    return "migrated"


def create_fresh_sqlite(database: str = "default") -> bool:
    """Create every table of the installed apps' models on an empty SQLite database and
    record every migration as applied; False (and nothing done) unless the database is
    SQLite and holds no tables."""
    connection = connections[database]
    if connection.vendor != "sqlite" or connection.introspection.table_names():
        return False
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    models = [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]
    emit_pre_migrate_signal(0, False, database, apps=apps, plan=[])
    # one transaction (SQLite's schema editor opens it: it must turn foreign key checks off
    # first); each model's many-to-many tables come with it
    with connection.schema_editor(atomic=True) as editor:
        for model in models:
            editor.create_model(model)
        recorder = MigrationRecorder(connection)
        editor.create_model(recorder.Migration)
        recorder.migration_qs.bulk_create(
            recorder.Migration(app=app, name=name) for app, name in sorted(loader.graph.nodes)
        )
    emit_post_migrate_signal(0, False, database, apps=apps, plan=[])
    return True
