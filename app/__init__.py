"""Sanaly: an interactive e-learning platform for journalists."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, request

from app.config import LOCALES, ROOT, load_config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, error pages, commands."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(load_config())
    if config:
        app.config.update(config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)

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
    from app.security import init_security_headers
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
    init_security_headers(app)
    register_error_pages(app)


def _import_models() -> None:
    """Import every feature's models so metadata (and Alembic) sees all tables."""
    import app.accounts.models
    import app.courseware.models
    import app.progress.models  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from app.accounts.views import bp as accounts
    from app.courseware.views import bp as courseware
    from app.progress.views import bp as progress
    from app.site.views import bp as site

    for blueprint in (site, accounts, courseware, progress):
        app.register_blueprint(blueprint)


def _init_templates(app: Flask) -> None:
    from flask_babel import format_date

    from app.html import safe
    from app.i18n import LANGUAGE_NAMES, current_locale, pick

    app.jinja_env.globals.update(
        pick=pick, safe_html=safe, LANGUAGE_NAMES=LANGUAGE_NAMES, LOCALES=LOCALES,
        current_locale=current_locale, format_date=format_date,
    )

    @app.context_processor
    def request_path():
        return {"request_path": request.full_path.rstrip("?") if request else "/"}


def _register_commands(app: Flask) -> None:
    from app.accounts.cli import users_cli
    from app.courseware.cli import courseware_cli
    from app.demo import demo_command

    app.cli.add_command(users_cli)
    app.cli.add_command(courseware_cli)
    app.cli.add_command(demo_command)
