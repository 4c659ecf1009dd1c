"""Settings from environment variables, with safe embedded defaults.

This is the only module that reads ``os.environ``. With nothing set, Sanaly runs
on SQLite in ``instance/`` with a secret key generated there on first start.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("kk", "ru", "en")
DEFAULT_LOCALE = "kk"


def _instance_dir() -> Path:
    path = Path(os.environ.get("SANALY_INSTANCE", ROOT / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _secret_key(instance: Path) -> str:
    """Read the secret key from the environment, else from instance/, creating it once."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _signing_key_pem() -> str | None:
    """SANALY_SIGNING_KEY: the certificates' Ed25519 key as PEM text, or the path of a PEM file.

    Unset, the key is generated into instance/ on first use (fine for one node; give every node the same key in
    production, or certificates signed by one node would not verify against another's published key).
    """
    value = os.environ.get("SANALY_SIGNING_KEY", "").strip()
    if not value:
        return None
    if value.startswith("-----BEGIN"):
        return value
    path = Path(value).expanduser()
    if not path.is_file():
        raise RuntimeError(f"SANALY_SIGNING_KEY names {path}, which is not a readable file")
    return path.read_text(encoding="ascii")


def _engine_options(database_url: str) -> dict:
    """SQLAlchemy's pool per gunicorn process: a connection per thread, and a few to spare.

    A gthread worker serves GUNICORN_THREADS requests at once, each holding at most one connection (a streamed
    CSV export holds its connection until the last row), so a node opens at most
    WEB_CONCURRENCY x (DB_POOL_SIZE + DB_MAX_OVERFLOW) connections to PostgreSQL: size max_connections (or
    PgBouncer) for the sum over all nodes and job workers.
    """
    options: dict = {"pool_pre_ping": True}
    if database_url.startswith("sqlite"):
        return options  # SQLite opens files, not server connections: SQLAlchemy's defaults suit it
    threads = int(os.environ.get("GUNICORN_THREADS", "4"))
    options.update(
        pool_size=int(os.environ.get("DB_POOL_SIZE", threads)),
        max_overflow=int(os.environ.get("DB_MAX_OVERFLOW", "2")),
        pool_timeout=int(os.environ.get("DB_POOL_TIMEOUT", "10")),
        # Give connections back before a firewall or PgBouncer drops them idle.
        pool_recycle=int(os.environ.get("DB_POOL_RECYCLE", "1800")),
    )
    return options


def load_config() -> dict:
    """Build the configuration mapping for create_app()."""
    instance = _instance_dir()
    redis_url = os.environ.get("REDIS_URL")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'sanaly.db'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    return {
        "INSTANCE_DIR": str(instance),
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        "COURSEWARE_PATH": os.environ.get("COURSEWARE_PATH", str(ROOT / "courseware")),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "1") != "0",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Reverse proxies in front of Sanaly (0: none): their X-Forwarded-For and -Proto are believed, no more.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # Larger requests get 413 before anything reads them; a cohort's CSV file is 1 MB at most.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(8 * 1024 * 1024))),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure by default when the public address is https://.
        "SESSION_COOKIE_SECURE": os.environ.get(
            "SESSION_COOKIE_SECURE", "1" if os.environ.get("BASE_URL", "").startswith("https://") else "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SIGNING_KEY_PEM": _signing_key_pem(),
        "CERTIFICATE_ISSUER_NAME": os.environ.get("CERTIFICATE_ISSUER_NAME", "Sanaly"),
        "VERIFY_RATE_LIMIT": os.environ.get("VERIFY_RATE_LIMIT", "30 per minute"),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Sanaly <no-reply@sanaly.local>"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "1") == "1",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "PASSWORD_RESET_MAX_AGE": int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600")),
        "BABEL_DEFAULT_LOCALE": DEFAULT_LOCALE,
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "app" / "translations"),
        "WTF_CSRF_TIME_LIMIT": None,
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "text"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").upper(),
        "LOG_REQUESTS": os.environ.get("LOG_REQUESTS", "1") != "0",
    }
