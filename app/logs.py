"""Logs: one line per request with a request id, as text or JSON (LOG_FORMAT=json)."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import Flask, g, has_request_context, request

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = logging.getLogger("sanaly.request")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def _loggable_path() -> str:
    """The request's path, with a ``token`` URL argument blanked (a password-reset link is a password) and
    control characters escaped (a path holding a newline would otherwise write a forged log line)."""
    path = request.path
    token = (request.view_args or {}).get("token")
    if isinstance(token, str) and token:
        path = path.replace(token, "[token]")
    return CONTROL_CHARACTERS.sub(lambda match: f"\\x{ord(match.group()):02x}", path)


def configure_logging(app: Flask) -> None:
    """Set up the root handler once, and the per-request id and summary line."""
    root = logging.getLogger()
    if not any(getattr(h, "sanaly", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.sanaly = True
        if app.config.get("LOG_FORMAT") == "json":
            handler.setFormatter(JsonFormatter())
        else:
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
        root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    @app.before_request
    def start_request() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def finish_request(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if app.config.get("LOG_REQUESTS", True) and request.endpoint != "static":
            elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
            path = _loggable_path()
            log.info("%s %s %s %.1fms", request.method, path, response.status_code, elapsed,
                     extra={"fields": {"method": request.method, "path": path,
                                       "status": response.status_code, "ms": round(elapsed, 1)}})
        return response
