"""Migrations build the schema from nothing, and the models match them."""

from __future__ import annotations

import os

import pytest
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.db import db
from tests.conftest import TEST_CONFIG


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_app(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/migrated.db"
    elif os.environ.get("TEST_DATABASE_URL"):
        url = os.environ["TEST_DATABASE_URL"]
    else:
        pytest.skip("PostgreSQL not configured: set TEST_DATABASE_URL to run this on PostgreSQL")
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        yield app
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.engine.dispose()


def test_upgrade_from_empty_to_head_matches_the_models_and_downgrades_cleanly(empty_app):
    upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    check()  # raises when the models and the migrations disagree
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()


def test_no_stray_files_in_versions():
    versions = os.path.join(os.path.dirname(__file__), "..", "..", "migrations", "versions")
    assert all(name.endswith(".py") or name == "__pycache__" for name in os.listdir(versions))
