"""Sanaly: an interactive e-learning platform for journalists."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from flask import Flask, request

from app.config import LOCALES, ROOT, load_config
from app.logs import configure_logging


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, error pages, commands."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(load_config())
    if config:
        app.config.update(config)
    configure_logging(app)

    _init_extensions(app)
    _register_blueprints(app)
    _init_templates(app)
    _register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.accounts.models import User  # noqa: F401 - models must be known before use
    from app.accounts.services import load_session_user
    from app.db import db
    from app.extensions import babel, csrf, limiter, login_manager, migrate
    from app.i18n import select_locale
    from app.security import init_security
    from app.site.views import register_error_pages

    _import_models()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)
    init_security(app)
    register_error_pages(app)


# The features, in the order their blueprints and commands are registered. Each is a package
# app/<feature>/ with any of: models.py, views.py (a blueprint named ``bp``), cli.py (a command ``cli``).
FEATURES = (
    "site", "accounts", "courseware", "progress", "audit", "jobs", "quizzes", "practicum", "cohorts", "certificates",
    "admin", "bench",
)


def _feature_module(feature: str, part: str):
    if importlib.util.find_spec(f"app.{feature}") is None:
        return None
    name = f"app.{feature}.{part}"
    return importlib.import_module(name) if importlib.util.find_spec(name) else None


def _import_models() -> None:
    """Import every feature's models so metadata (and Alembic) sees all tables."""
    for feature in FEATURES:
        _feature_module(feature, "models")


def _register_blueprints(app: Flask) -> None:
    """Register each feature's blueprint, and the links it adds to the trainer's and admin's home pages.

    A views module may list ``TRAINER_TOOLS`` (label, endpoint taking ``course_slug``) and ``ADMIN_TOOLS``
    (label, endpoint without arguments).
    """
    app.extensions["sanaly.trainer_tools"], app.extensions["sanaly.admin_tools"] = [], []
    for feature in FEATURES:
        views = _feature_module(feature, "views")
        if views is not None:
            app.register_blueprint(views.bp)
            app.extensions["sanaly.trainer_tools"].extend(getattr(views, "TRAINER_TOOLS", ()))
            app.extensions["sanaly.admin_tools"].extend(getattr(views, "ADMIN_TOOLS", ()))


def _init_templates(app: Flask) -> None:
    from flask_babel import format_date, format_datetime

    from app.accounts.roles import Role
    from app.html import safe
    from app.i18n import LANGUAGE_NAMES, current_locale, pick

    app.jinja_env.globals.update(
        pick=pick, safe_html=safe, LANGUAGE_NAMES=LANGUAGE_NAMES, LOCALES=LOCALES,
        Role=Role, current_locale=current_locale, format_date=format_date, format_datetime=format_datetime,
        trainer_tools=app.extensions["sanaly.trainer_tools"], admin_tools=app.extensions["sanaly.admin_tools"],
    )

    @app.context_processor
    def request_path():
        return {"request_path": request.full_path.rstrip("?") if request else "/"}


def _register_commands(app: Flask) -> None:
    from app.demo import demo_command

    for feature in FEATURES:
        cli = _feature_module(feature, "cli")
        if cli is not None:
            app.cli.add_command(cli.cli)
    app.cli.add_command(demo_command)
