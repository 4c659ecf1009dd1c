"""Who may call each route, the security headers every response carries, and the input every request refuses.

Every view declares its audience with one of the decorators below, on the line
under ``@bp.route``; a test walks ``app.url_map`` and fails on an undeclared
endpoint. Per-object rules (a learner sees only their own records) live in the
features' services.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, request, session
from flask_login import current_user
from flask_login import login_required as _flask_login_required
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

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
    """Only same-site paths: no scheme, no host, no protocol-relative, backslash or control-character tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ord(c) < 0x20 or c == "\x7f" for c in target):  # browsers drop tabs and newlines; headers refuse them
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


def init_security(app: Flask) -> None:
    """Set up what every request and response goes through; call before the blueprints are registered."""
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        # Behind reverse proxies, the client is what they say it was: its address keys the rate limits.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    if session.get("_user_id") and response.mimetype == "text/html":
        # A signed-in page shows someone's data: no cache may keep it, nor show it again after sign-out.
        headers.setdefault("Cache-Control", "no-store")
    return response


def refuse_nul_characters() -> None:
    """400 for a NUL character in the path, the query or a form field: nobody types one, and PostgreSQL
    refuses to store or even compare text holding it, which would otherwise surface as a server error."""
    texts = [request.path, *(t for pair in request.args.items(multi=True) for t in pair)]
    if request.method in ("POST", "PUT", "PATCH"):
        texts += [t for pair in request.form.items(multi=True) for t in pair]
    if any("\x00" in text for text in texts):
        abort(400)


# Row ids are 32-bit integers: a bigger number names nothing, and the database would refuse it with an error.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a number too big to be an id is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def id_arg(value: str) -> int:
    """For ``request.args.get(name, type=id_arg)``: an id, else ValueError (and the default is used)."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError(f"not an id: {value}")
    return number
