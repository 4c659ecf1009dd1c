"""Real headless Chromium (Debian's package) against Sanaly served on 127.0.0.1."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import _make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def live_app(tmp_path, sqlite_template):
    path = tmp_path / "live.db"
    shutil.copy(sqlite_template, path)
    app = _make_app(f"sqlite:///{path}", WTF_CSRF_ENABLED=True, SERVER_NAME=None)
    return app


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free local port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def live_server(live_app):
    """Serve the app on a free local port for the duration of one test."""
    with serve(live_app) as base_url:
        yield base_url


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="kk-KZ")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture(scope="module")
def whole_site(tmp_path_factory, sqlite_template):
    """Every page's records (tests/browser/sitemap.py), served once for a test module."""
    from tests.browser.sitemap import open_site

    with open_site(tmp_path_factory.mktemp("site"), sqlite_template) as running:
        yield running
