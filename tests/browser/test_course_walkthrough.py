"""The real course, page by page, in each language: every text present, nothing falling back to Kazakh."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app.courseware.reader import read_courseware
from app.courseware.store import store_course
from app.db import db
from tests.conftest import _make_app

REAL_COURSEWARE = Path(__file__).parents[2] / "courseware"


@pytest.fixture(scope="module")
def real_course_server(tmp_path_factory, sqlite_template):
    path = tmp_path_factory.mktemp("real") / "real.db"
    shutil.copy(sqlite_template, path)
    app = _make_app(f"sqlite:///{path}", SERVER_NAME=None, COURSEWARE_PATH=str(REAL_COURSEWARE))
    with app.app_context():
        courses, report = read_courseware(REAL_COURSEWARE)
        assert report.ok, [str(e) for e in report.errors]
        for course in courses:
            store_course(course)
        db.session.commit()
        slug = courses[0].slug
        pages = [f"/courses/{slug}/welcome", f"/courses/{slug}/glossary"]
        for module in courses[0].modules:
            pages.append(f"/courses/{slug}/modules/{module.slug}")
            pages += [f"/courses/{slug}/modules/{module.slug}/readings/{r.slug}" for r in module.readings]
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", pages
    server.shutdown()


@pytest.mark.parametrize("locale", ["kk", "ru", "en"])
def test_every_course_page_is_complete_in_each_language(browser, real_course_server, locale):
    base, pages = real_course_server
    context = browser.new_context(base_url=base)
    context.add_cookies([{"name": "lang", "value": locale, "url": base}])
    page = context.new_page()
    problems = []
    for url in ["/", *pages]:
        response = page.goto(url)
        if response.status != 200:
            problems.append(f"{url}: HTTP {response.status}")
            continue
        expect(page.locator("html")).to_have_attribute("lang", locale)
        if page.locator("[role=note]").count():
            problems.append(f"{url}: shows Kazakh fallback")
        heading = page.locator("h1").first.inner_text().strip()
        if not heading:
            problems.append(f"{url}: empty heading")
        if "/readings/" in url:
            words = len(page.locator("article").inner_text().split())
            sources = page.locator(".sources li").count()
            if words < 600 or sources == 0:
                problems.append(f"{url}: {words} words, {sources} sources")
    context.close()
    assert problems == []


def _check(page, locale: str, problems: list[str]) -> None:
    url = page.url
    if page.locator("html").get_attribute("lang") != locale:
        problems.append(f"{url}: not in {locale}")
    if page.locator("[role=note]").count():
        problems.append(f"{url}: shows Kazakh fallback")
    if not page.locator("h1").first.inner_text().strip():
        problems.append(f"{url}: empty heading")


@pytest.mark.parametrize("locale", ["kk", "ru", "en"])
def test_a_learner_takes_the_quizzes_and_plays_the_scenario_in_each_language(browser, real_course_server, locale):
    """Every page of both quiz attempts and a whole playthrough, in the learner's language, nothing missing."""
    base, pages = real_course_server
    context = browser.new_context(base_url=base)
    context.add_cookies([{"name": "lang", "value": locale, "url": base}])
    page = context.new_page()
    page.goto("/register")
    page.fill("#email", f"walker-{locale}@example.kz")
    page.fill("#display_name", "Walker")
    page.fill("#certificate_name", "Walker")
    page.fill("#password", "a long enough password")
    page.fill("#password_confirm", "a long enough password")
    page.locator("form[action='/register'] button[type=submit]").click()
    problems: list[str] = []
    course = "/courses/reporting-extremism"
    for module in ("terrorist-image", "immunity"):
        page.goto(f"/quizzes/{module}")
        _check(page, locale, problems)
        page.locator(f"form[action='/quizzes/{module}/start'] button").click()
        for _ in range(30):  # bounded: ten questions, one a page
            _check(page, locale, problems)
            texts = page.locator("main").inner_text()
            if len(texts.split()) < 20:
                problems.append(f"{page.url}: almost no text")
            next_button = page.locator("button.button[name=go]").first  # "Next page", or "Finish" on the last
            value = next_button.get_attribute("value")
            next_button.click()
            if value == "finish":
                break
        _check(page, locale, problems)
        page.locator("form[data-submit-on-timeout] button").click()
        _check(page, locale, problems)
    page.goto(f"{course}/modules/practicum/scenario")
    page.locator(f"form[action='{course}/modules/practicum/scenario/start'] button").click()
    for _ in range(80):  # bounded: the longest path has fewer steps than nodes
        _check(page, locale, problems)
        if not page.locator("form.decide").count():
            break
        radios = page.locator("form.decide input[type=radio]")
        if radios.count():
            radios.first.check()
        page.locator("form.decide button[type=submit]").first.click()
    _check(page, locale, problems)
    assert page.locator("form.decide").count() == 0, "the playthrough did not reach an ending"
    page.goto(f"{course}/modules/practicum/assignment")
    _check(page, locale, problems)
    context.close()
    assert problems == []
