"""Who may call each route, and the security headers every response carries.

Every view declares its audience with one of the decorators below, on the line
under ``@bp.route``; a test walks ``app.url_map`` and fails on an undeclared
endpoint. Per-object rules (a learner sees only their own records) live in the
features' services.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, request
from flask_login import current_user
from flask_login import login_required as _flask_login_required

from app.accounts.roles import Role

ACCESS_ATTRIBUTE = "access"


def public(view: Callable) -> Callable:
    """Anyone may call this route, signed in or not."""
    setattr(view, ACCESS_ATTRIBUTE, "public")
    return view


def login_required(view: Callable) -> Callable:
    """Any signed-in user may call this route."""
    wrapped = _flask_login_required(view)
    setattr(wrapped, ACCESS_ATTRIBUTE, "login")
    return wrapped


def role_required(role: Role) -> Callable[[Callable], Callable]:
    """Only users holding ``role`` (or a higher one) may call this route; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from app.extensions import login_manager

                return login_manager.unauthorized()
            if not current_user.role.includes(role):
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, ACCESS_ATTRIBUTE, role.value)
        return wrapped

    return decorator


def access_of(view: Callable) -> str | None:
    return getattr(view, ACCESS_ATTRIBUTE, None)


def is_safe_redirect(target: str | None) -> bool:
    """Only same-site paths: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])


def init_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response
