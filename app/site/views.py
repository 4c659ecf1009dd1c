"""Site-wide routes: health check, language choice, error pages."""

from __future__ import annotations

from flask import Blueprint, Flask, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.config import LOCALES
from app.db import db
from app.i18n import LANGUAGE_COOKIE
from app.security import is_safe_redirect, public

bp = Blueprint("site", __name__, template_folder="templates")


@bp.route("/healthz")
@public
def healthz():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": False}, 503
    return {"status": "ok", "database": True}


@bp.route("/language", methods=["POST"])
@public
def set_language():
    """Remember the chosen language for the account and in a cookie; go back where the user was."""
    locale = request.form.get("locale")
    target = request.form.get("next") or ""
    response = make_response(redirect(target if is_safe_redirect(target) else url_for("courseware.home")))
    if locale in LOCALES:
        response.set_cookie(LANGUAGE_COOKIE, locale, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=request.is_secure)
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return response


def register_error_pages(app: Flask) -> None:
    def render_error(status: int):
        def handler(error):
            db.session.rollback()
            return render_template("errors/error.html", status=status), status
        return handler

    for status in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(status, render_error(status))

    from flask_wtf.csrf import CSRFError

    app.register_error_handler(CSRFError, render_error(400))
