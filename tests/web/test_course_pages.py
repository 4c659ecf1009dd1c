"""The course as a visitor and a learner see it, in three languages."""

from __future__ import annotations

import re

import pytest

from app.courseware.models import Reading
from app.db import db
from app.progress.models import ReadingProgress
from tests.conftest import login, make_user

READING = "/courses/sample-course/modules/first/readings/alpha"


def html_lang(response) -> str:
    return re.search(r'<html lang="([a-z]+)"', response.get_data(as_text=True)).group(1)


def test_home_lists_the_course_and_its_modules_for_anyone_in_kazakh_by_default(client):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and html_lang(response) == "kk"
    assert "Сынақ курсы" in page
    for title in ("Бірінші модуль", "Екінші модуль", "Практикум"):
        assert title in page


@pytest.mark.parametrize(("header", "lang", "title"), [("ru-RU,ru;q=0.9", "ru", "Тестовый курс"),
                                                        ("en-GB,en;q=0.8", "en", "Sample course"),
                                                        ("de-DE", "kk", "Сынақ курсы")])
def test_visitors_get_their_browser_language_else_kazakh(client, header, lang, title):
    response = client.get("/", headers={"Accept-Language": header})
    assert html_lang(response) == lang
    assert title in response.get_data(as_text=True)


def test_a_visitor_language_choice_is_remembered_in_a_cookie(client):
    response = client.post("/language", data={"locale": "en", "next": "/courses/sample-course/glossary"})
    assert response.status_code == 302 and response.headers["Location"] == "/courses/sample-course/glossary"
    assert "lang=en" in response.headers["Set-Cookie"]
    assert html_lang(client.get("/", headers={"Accept-Language": "ru"})) == "en"


def test_the_language_switch_refuses_external_redirects_and_unknown_languages(client):
    response = client.post("/language", data={"locale": "xx", "next": "https://evil.example"})
    assert response.headers["Location"] == "/"
    assert "Set-Cookie" not in response.headers


def test_a_learner_language_choice_is_stored_on_the_account(client):
    user = make_user(locale="kk")
    login(client, user)
    client.post("/language", data={"locale": "ru"})
    db.session.refresh(user)
    assert user.locale == "ru"
    assert html_lang(client.get("/", headers={"Accept-Language": "en"})) == "ru"


def test_a_reading_shows_its_text_sources_and_glossary_links(client):
    page = client.get(READING).get_data(as_text=True)
    assert "ALPHA-KK" in page
    assert 'href="/courses/sample-course/glossary#term-framing"' in page
    assert 'href="#source-S1"' in page and 'id="source-S1"' in page


def test_a_reading_missing_in_russian_falls_back_to_kazakh_with_a_note(client):
    client.post("/language", data={"locale": "ru"})
    page = client.get("/courses/sample-course/modules/first/readings/beta").get_data(as_text=True)
    assert "BETA-KK" in page
    assert 'role="note"' in page
    translated = client.get(READING).get_data(as_text=True)
    assert "ALPHA-RU" in translated and 'role="note"' not in translated


def test_marking_a_reading_read_fills_the_module_progress_bar(client):
    user = make_user()
    login(client, user)
    assert 'value="0"' in client.get("/courses/sample-course/modules/first").get_data(as_text=True)
    client.get(READING)
    client.post(READING + "/read")
    page = client.get("/courses/sample-course/modules/first").get_data(as_text=True)
    assert 'value="33"' in page
    row = db.session.scalar(db.select(ReadingProgress).where(ReadingProgress.user_id == user.id))
    assert row.read_how == "marked"


def test_reaching_the_end_counts_as_read_and_answers_json_to_the_script(client):
    user = make_user()
    login(client, user)
    response = client.post(READING + "/read", data={"how": "end"}, headers={"Accept": "application/json"})
    assert response.get_json() == {"read": True}
    row = db.session.scalar(db.select(ReadingProgress).where(ReadingProgress.user_id == user.id))
    assert row.read_how == "end" and row.read_at is not None


def test_the_dashboard_continues_where_the_learner_left_off(client):
    user = make_user()
    login(client, user)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Альфа оқуы" in page  # nothing opened yet: the first reading is next
    client.get("/courses/sample-course/modules/second/readings/gamma")
    page = client.get("/dashboard").get_data(as_text=True)
    next_block = re.search(r'class="next-step card">(.*?)</div>', page, re.S).group(1)
    assert "Гамма оқуы" in next_block


def test_another_learner_never_sees_my_progress(client, app):
    me = make_user()
    login(client, me)
    client.post(READING + "/read")
    client.post("/logout")
    other = make_user()
    login(client, other)
    assert 'value="0"' in client.get("/courses/sample-course/modules/first").get_data(as_text=True)


def test_glossary_and_welcome_pages(client):
    assert "фрейминг" in client.get("/courses/sample-course/glossary").get_data(as_text=True)
    assert "Welcome text in kk" in client.get("/courses/sample-course/welcome").get_data(as_text=True)


def test_unknown_pages_get_a_404_in_the_user_language(client):
    response = client.get("/courses/sample-course/modules/nope", headers={"Accept-Language": "ru"})
    assert response.status_code == 404 and html_lang(response) == "ru"


def test_healthz_answers_200_with_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": True}


def test_healthz_answers_503_without_the_database(tmp_path):
    from app import create_app
    from tests.conftest import TEST_CONFIG

    broken = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    assert broken.test_client().get("/healthz").status_code == 503


def _add_reading(module_id: int, slug: str, position: int) -> None:
    db.session.add(Reading(module_id=module_id, slug=slug, position=position, content_hash=slug,
                           titles={"kk": {"title": slug, "minutes": 1}},
                           versions={"kk": {"title": slug, "minutes": 1, "html": "<p>x</p>", "sources": []}}))


def test_course_and_reading_pages_run_a_constant_number_of_queries(client, count_queries):
    user = make_user()
    login(client, user)
    pages = ["/", "/dashboard", "/courses/sample-course/modules/first", READING]

    def measure() -> list[int]:
        counts = []
        for url in pages:
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    before = measure()
    module_id = db.session.scalar(db.select(Reading.module_id).where(Reading.slug == "alpha"))
    for index in range(20):
        _add_reading(module_id, f"extra-{index}", 10 + index)
    db.session.commit()
    for _ in range(5):
        other = make_user()
        client.post("/logout")
        login(client, other)
        client.post(READING + "/read")
    client.post("/logout")
    login(client, user)
    after = measure()
    assert before == after, dict(zip(pages, zip(before, after, strict=True), strict=True))
    assert max(after) <= 15


def test_the_progress_page_shows_every_item_with_status_and_what_remains(client):
    user = make_user()
    login(client, user)
    client.post(READING + "/read")
    page = client.get("/courses/sample-course/progress").get_data(as_text=True)
    assert page.count('class="state-done"') == 1
    assert "Альфа оқуы" in page and "Гамма оқуы" in page
    assert client.get("/courses/nope/progress").status_code == 404
