"""Trainers author quizzes in web forms, preview, publish, regrade, import and export GIFT, read statistics."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.accounts.roles import Role
from app.audit.models import AuditEntry
from app.db import db
from app.quizzes.models import Question, QuestionVersion, Quiz, QuizStatus, Regrade
from app.security import access_of
from tests.conftest import login, make_user
from tests.web.quizzes.conftest import answer, attempt_row, page_text, single, start, truefalse

URL_VALUES = {"slug": "first", "question_slug": "framing", "attempt_id": 1}


def trainer_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("quizzes.") and access_of(app.view_functions[rule.endpoint]) == "trainer":
            yield rule, rule.build({k: v for k, v in URL_VALUES.items() if k in rule.arguments})[1]


def test_every_trainer_route_refuses_learners_and_sends_visitors_to_sign_in(app, client):
    rules = list(trainer_rules(app))
    assert len(rules) >= 18
    for rule, url in rules:
        for method in rule.methods & {"GET", "POST"}:
            response = client.open(url, method=method)
            assert response.status_code == 302 and "/login" in response.headers["Location"], (method, url)
    login(client, make_user(Role.LEARNER))
    for rule, url in rules:
        for method in rule.methods & {"GET", "POST"}:
            assert client.open(url, method=method).status_code == 403, (method, url)


def texts(prefix: str, kk: str, ru: str = "", en: str = "") -> dict[str, str]:
    return {f"{prefix}-kk": kk, f"{prefix}-ru": ru, f"{prefix}-en": en}


FORMS = {
    "single": {"points": "2", **texts("prompt", "Қай тақырып сабырлы?", en="Which headline is calm?"),
               **texts("options-0-text", "Атыс: 2 жараланды"), "options-0-correct": "y",
               **texts("options-0-feedback", "Дәл."), **texts("options-1-text", "Қырғын!")},
    "multiple": {"points": "1", **texts("prompt", "Ресми дереккөздер?"), **texts("options-0-text", "Полиция"),
                 "options-0-correct": "y", **texts("options-1-text", "Прокуратура"), "options-1-correct": "y",
                 **texts("options-2-text", "Telegram")},
    "truefalse": {"points": "1", **texts("prompt", "Атын тақырыпқа шығару керек."), "answer": "false",
                  **texts("feedback_true", "Жоқ."), **texts("feedback_false", "Дұрыс.")},
    "matching": {"points": "1", **texts("prompt", "Сәйкестендіріңіз"), **texts("pairs-0-item", "экстремизм"),
                 **texts("pairs-0-match", "идеология"), **texts("pairs-1-item", "терроризм"),
                 **texts("pairs-1-match", "әдіс"), **texts("pairs-2-match", "дін")},
    "ordering": {"points": "1", **texts("prompt", "Ретке келтіріңіз"), **texts("items-0-text", "Тексеру"),
                 **texts("items-1-text", "Жазу"), **texts("items-2-text", "Жариялау")},
    "short": {"points": "1", **texts("prompt", "Қысқаша атауы?"), "answers-0-text-kk": "АТО\nАТЦ",
              "answers-0-fraction": "100"},
    "numeric": {"points": "1", **texts("prompt", "Заң қай жылы?"), "answers-0-value": "1999",
                "answers-0-tolerance": "0", "answers-0-fraction": "100", "answers-1-value": "*",
                **texts("answers-1-feedback", "Жоқ, 1999.")},
    "essay": {"points": "5", **texts("prompt", "Лид жазыңыз."), "min_words": "3", "max_words": "100",
              **texts("rubric_hint", "Фактілер.")},
    "description": {**texts("prompt", "Жағдайды оқыңыз.")},
}


def test_a_trainer_creates_a_quiz_with_every_question_type_and_publishes_it(client, login_as):
    login_as(Role.TRAINER)
    response = client.post("/trainer/quizzes/new", data={
        "slug": "newsroom", **texts("title", "Редакция", en="Newsroom"), "module_id": "0", "pass_mark": "60",
        "attempts": "2", "questions_per_page": "3", "feedback": "after_submit", "show_correct": "after_submit"})
    assert response.headers["Location"] == "/trainer/quizzes/newsroom"
    for type_name, data in FORMS.items():
        response = client.post(f"/trainer/quizzes/newsroom/questions/new?type_name={type_name}",
                               data={**data, "save": "1"})
        assert response.status_code == 302, (type_name, page_text(response)[-2000:])
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "newsroom"))
    kinds = db.session.scalars(select(QuestionVersion.type_name).join(Question).where(Question.quiz_id == quiz.id)
                               .order_by(Question.position))
    assert list(kinds) == list(FORMS)
    assert quiz.status is QuizStatus.DRAFT
    client.post("/trainer/quizzes/newsroom/status", data={"value": "published"})
    assert db.session.get(Quiz, quiz.id).status is QuizStatus.PUBLISHED
    manage = page_text(client.get("/trainer/quizzes/newsroom"))
    assert "Which headline is calm?" in manage and "version 1" in manage
    preview = page_text(client.get("/trainer/quizzes/newsroom/preview"))
    assert preview.count('class="question question-') == len(FORMS)


def test_a_form_with_mistakes_is_refused_in_the_users_words_and_saves_nothing(client, login_as, make_quiz):
    make_quiz([single()])
    login_as(Role.TRAINER, locale="en")
    no_right_option = {**FORMS["single"], "options-0-correct": "", "save": "1"}
    response = client.post("/trainer/quizzes/test-quiz/questions/new?type_name=single", data=no_right_option)
    assert response.status_code == 200 and "no option is correct" in page_text(response)
    no_kazakh = {**FORMS["single"], "prompt-kk": "", "prompt-en": "Only English", "save": "1"}
    assert "Write the question text in Kazakh at least." in page_text(
        client.post("/trainer/quizzes/test-quiz/questions/new?type_name=single", data=no_kazakh))
    bad_points = page_text(client.post("/trainer/quizzes/test-quiz/questions/new?type_name=single",
                                       data={**FORMS["single"], "points": "-1", "save": "1"}))
    assert "Give points between 0.01 and 1000." in bad_points
    assert db.session.scalar(select(func.count()).select_from(Question)
                             .join(Quiz).where(Quiz.slug == "test-quiz")) == 1


def test_adding_a_row_keeps_what_was_typed(client, login_as, make_quiz):
    make_quiz([single()])
    login_as(Role.TRAINER)
    page = page_text(client.post("/trainer/quizzes/test-quiz/questions/new?type_name=single",
                                 data={**FORMS["single"], "options-2-text-kk": "", "add_row": "1"}))
    assert 'value="Атыс: 2 жараланды"' in page and 'name="options-3-text-kk"' in page


def test_editing_a_used_question_makes_a_version_and_old_attempts_keep_theirs(client, login_as, make_quiz):
    make_quiz([single(prompt="Бірінші нұсқа")], attempts=3)
    learner = login_as(locale="kk")
    old = start(client, "test-quiz")
    answer(client, old, 0, q0="a")
    client.post(f"/attempts/{old}/submit")
    client.post("/logout")
    login_as(Role.TRAINER)
    edit = page_text(client.get("/trainer/quizzes/test-quiz/questions/single"))
    assert "Attempts have used this version" in edit and 'value="Нұсқа a"' in edit
    changed = {**FORMS["single"], "prompt-kk": "Екінші нұсқа", "options-0-id": "a", "options-1-id": "b",
               "save": "1"}
    client.post("/trainer/quizzes/test-quiz/questions/single", data=changed)
    question = db.session.scalar(select(Question).where(Question.slug == "single"))
    assert question.current_number == 2
    client.post("/logout")
    login(client, learner)
    assert "Бірінші нұсқа" in page_text(client.get(f"/attempts/{old}/review"))
    new = start(client, "test-quiz")
    assert "Екінші нұсқа" in page_text(client.get(f"/attempts/{new}"))


def test_editing_an_unused_question_changes_it_in_place(client, login_as, make_quiz):
    make_quiz([single()])
    login_as(Role.TRAINER)
    client.post("/trainer/quizzes/test-quiz/questions/single", data={**FORMS["single"], "save": "1"})
    versions = db.session.scalars(select(QuestionVersion).join(Question).where(Question.slug == "single")).all()
    assert [v.number for v in versions] == [1] and versions[0].definition["points"] == 2.0
    unchanged = client.post("/trainer/quizzes/test-quiz/questions/single", data={**FORMS["single"], "save": "1"},
                            follow_redirects=True)
    assert "Nothing changed." in page_text(unchanged)


def test_preview_shows_the_learners_markup_and_grades_without_saving(client, login_as, make_quiz):
    make_quiz([single()])
    learner = login_as()
    attempt_id = start(client, "test-quiz")
    learner_page = page_text(client.get(f"/attempts/{attempt_id}"))
    client.post("/logout")
    login_as(Role.TRAINER)
    preview = page_text(client.get("/trainer/quizzes/test-quiz/questions/single/preview"))

    def question_markup(page: str) -> str:
        return page[page.index('<section class="question'):page.index("</section>")]

    assert question_markup(preview) == question_markup(learner_page)
    checked = page_text(client.post("/trainer/quizzes/test-quiz/questions/single/preview", data={"q0": "b"}))
    assert "Incorrect" in checked and "Түсініктеме b" in checked and "Correct answer" in checked
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    assert learner.id


def test_moving_and_removing_questions(client, login_as, make_quiz):
    make_quiz([single("one"), single("two"), truefalse("three")])
    login_as(Role.TRAINER)
    client.post("/trainer/quizzes/test-quiz/questions/three/move", data={"value": "up"})
    client.post("/trainer/quizzes/test-quiz/questions/one/retire")
    live = db.session.scalars(select(Question.slug).where(Question.retired.is_(False)).join(Quiz)
                              .where(Quiz.slug == "test-quiz").order_by(Question.position))
    assert list(live) == ["three", "two"]
    assert client.post("/trainer/quizzes/test-quiz/questions/two/move", data={"value": "sideways"}).status_code == 400
    assert client.get("/trainer/quizzes/test-quiz/questions/nothing").status_code == 404


def test_regrading_after_a_fixed_key_changes_scores_and_is_audited(client, login_as, make_quiz):
    make_quiz([single(right="a"), truefalse()], attempts=2)
    learner = login_as()
    attempt_id = start(client, "test-quiz")
    answer(client, attempt_id, 0, go=1, q0="b")
    answer(client, attempt_id, 1, q1="true")
    client.post(f"/attempts/{attempt_id}/submit")
    assert attempt_row(attempt_id).percent == 50
    client.post("/logout")
    trainer = login_as(Role.TRAINER)
    fixed = {**FORMS["single"], **{f"options-{i}-id": o for i, o in enumerate("abc")},
             **{f"options-{i}-text-kk": f"Нұсқа {o}" for i, o in enumerate("abc")},
             "options-0-correct": "", "options-1-correct": "y", "points": "1", "save": "1"}
    client.post("/trainer/quizzes/test-quiz/questions/single", data=fixed)
    assert attempt_row(attempt_id).percent == 50  # nothing changes until the trainer regrades
    response = client.post("/trainer/quizzes/test-quiz/regrade", follow_redirects=True)
    assert "1 attempts regraded; 1 changed." in page_text(response)
    attempt = attempt_row(attempt_id)
    assert attempt.percent == 100 and attempt.slots[0]["seen_version"] != attempt.slots[0]["version"]
    regrade = db.session.scalar(select(Regrade))
    assert (regrade.actor_id, regrade.changed, regrade.details[0]["before"]) == (trainer.id, 1, 50)
    actions = {(e.action, e.subject_id) for e in db.session.scalars(select(AuditEntry))}
    assert actions == {("attempt.regraded", learner.id), ("quiz.regraded", None)}


GIFT = """// a file written for Moodle
::calm::Which headline is calm? {
=Shooting: 2 injured #Accurate.
~Bloodbath! #Panic.
}

::law::In which year? {#1999:0}

::lead::Write a lead. {}
"""


def test_gift_import_from_the_web_is_all_or_nothing_and_names_the_line(client, login_as, make_quiz):
    make_quiz([single()])
    login_as(Role.TRAINER, locale="en")

    def upload(text: str, locale: str = "kk"):
        return client.post("/trainer/quizzes/test-quiz/gift", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(text.encode()), "quiz.gift.txt"), "locale": locale})

    broken = upload(GIFT + "\n::bad::Match {=a -> 1 =b}\n")
    assert broken.status_code == 200 and "Nothing was imported: line 11" in page_text(broken)
    assert len(db.session.scalar(select(Quiz).where(Quiz.slug == "test-quiz")).live_questions) == 1
    assert upload(GIFT).headers["Location"] == "/trainer/quizzes/test-quiz"
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "test-quiz"))
    assert [q.slug for q in quiz.live_questions] == ["single", "calm", "law", "lead"]
    untranslated = upload("::stranger::Кто? {=А ~Б}", locale="ru")
    assert "not in this quiz" in page_text(untranslated)
    upload("::calm::Какой заголовок спокоен? {\n=Стрельба: 2 раненых\n~Бойня!\n}", locale="ru")
    calm = next(q for q in db.session.scalar(select(Quiz).where(Quiz.slug == "test-quiz")).questions
                if q.slug == "calm")
    definition = db.session.scalar(select(QuestionVersion).where(QuestionVersion.question_id == calm.id)).definition
    assert definition["prompt"] == {"kk": "Which headline is calm?", "ru": "Какой заголовок спокоен?"}
    assert definition["options"][0]["feedback"] == {"kk": "Accurate."}


def test_gift_export_downloads_the_quiz_in_the_chosen_language(client, login_as):
    login_as(Role.TRAINER)
    response = client.get("/trainer/quizzes/first/gift.txt?locale=en")
    text = page_text(response)
    assert response.mimetype == "text/plain" and "attachment" in response.headers["Content-Disposition"]
    assert "::framing::" in text and "Which headline is **calm**?" in text
    assert client.get("/trainer/quizzes/first/gift.txt?locale=de").status_code == 404
    second = page_text(client.get("/trainer/quizzes/second/gift.txt"))
    assert second.startswith("// Sanaly: what GIFT cannot carry\n// ") and "ordering" in second.split("\n\n")[0]
    assert "::steps::" not in second and "::terms::" in second


@pytest.fixture
def graded_attempts(client, make_quiz):
    """Four learners' attempts at a two-question quiz: both right, one right each way, none right."""
    make_quiz([single(), truefalse()], per_page=5, attempts=0)
    for picks in (("a", "true"), ("a", "false"), ("b", "true"), ("b", "false")):
        login(client, make_user())
        attempt_id = start(client, "test-quiz")
        answer(client, attempt_id, 0, q0=picks[0], q1=picks[1])
        client.post(f"/attempts/{attempt_id}/submit")
        client.post("/logout")


def test_statistics_show_attempts_mean_median_distribution_and_per_question_figures(client, login_as,
                                                                                   graded_attempts):
    login_as(Role.TRAINER, locale="en")
    page = page_text(client.get("/trainer/quizzes/test-quiz/statistics"))
    assert '<dd>4</dd>' in page and "<dd>50.0%</dd>" in page  # attempts, mean and median
    assert page.count('class="score-bar"') == 10 and "<svg" in page
    assert "<td>50.0</td>" in page  # each question's facility
    csv_text = page_text(client.get("/trainer/quizzes/test-quiz/statistics.csv?attempts=all"))
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("number,question,type,attempts,facility_index")
    assert lines[1].startswith("1,single,single,4,50.00,") and len(lines) == 3


class FormValues(HTMLParser):
    """The values a browser would send for the page's question form, without pressing any button."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit",):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.append((name, attrs.get("value", "y")))
            else:
                self.values.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.append((name, ""))
        elif tag == "option" and "selected" in attrs:
            self.values.append((self._select, attrs.get("value", "")))
        elif tag == "select":
            self._select = name

    def handle_data(self, data):
        if self._textarea:
            self.values[-1] = (self._textarea, self.values[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
            name, value = self.values[-1]
            self.values[-1] = (name, value.removeprefix("\n"))


@pytest.mark.parametrize(("quiz", "question"), [
    ("first", "framing"), ("first", "sources"), ("first", "name-in-headline"), ("second", "case"),
    ("second", "terms"), ("second", "steps"), ("second", "law-year"), ("second", "agency"), ("second", "lead")])
def test_saving_a_question_form_unchanged_changes_nothing(client, login_as, quiz, question):
    login_as(Role.TRAINER, locale="en")
    url = f"/trainer/quizzes/{quiz}/questions/{question}"
    parser = FormValues()
    parser.feed(page_text(client.get(url)))
    form = [pair for pair in parser.values if pair[0] != "type_name"]
    response = client.post(url, data=MultiDict([*form, ("save", "1")]), follow_redirects=True)
    assert "Nothing changed." in page_text(response)


def test_every_trainer_page_opens_for_a_trainer(app, client, login_as):
    trainer = login_as(Role.TRAINER, locale="en")
    learner_client = app.test_client()
    login(learner_client, make_user())
    attempt_id = start(learner_client, "second")
    learner_client.post(f"/attempts/{attempt_id}/submit")
    values = {"slug": "second", "question_slug": "terms", "attempt_id": attempt_id}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("quizzes.") and access_of(app.view_functions[rule.endpoint]) == "trainer" \
                and "GET" in rule.methods:
            url = rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]
            if rule.endpoint == "quizzes.new_question":
                url += "?type_name=matching"
            assert client.get(url).status_code == 200, url
    assert "Edit the quiz" in page_text(client.get("/courses/sample-course/modules/second"))
    assert "/trainer/quizzes?course_slug=sample-course" in page_text(client.get("/trainer"))
    assert trainer.id


def test_a_trainer_changes_a_quizs_settings_and_takes_it_back_to_draft(client, login_as):
    login_as(Role.TRAINER)
    form = {**texts("title", "Жаңа атау"), "module_id": "0", "pass_mark": "75", "attempts": "0",
            "time_limit_minutes": "15", "draw": "2", "questions_per_page": "2", "feedback": "after_each",
            "show_correct": "never", "shuffle_options": "y"}
    assert client.post("/trainer/quizzes/first/settings", data=form).status_code == 302
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "first"))
    assert quiz.title == {"kk": "Жаңа атау"} and quiz.module_id is None and quiz.questions_per_page == 2
    settings = quiz.quiz_settings
    assert (settings.pass_mark, settings.time_limit_minutes, settings.draw, settings.feedback) == (
        75, 15, 2, "after_each") and settings.shuffle_options and not settings.shuffle_questions
    bad = page_text(client.post("/trainer/quizzes/first/settings", data={**form, "pass_mark": "140"}))
    assert "Give a percent between 0 and 100." in bad
    client.post("/trainer/quizzes/first/status", data={"value": "draft"})
    assert db.session.get(Quiz, quiz.id).status is QuizStatus.DRAFT
    assert client.post("/trainer/quizzes/first/status", data={"value": "gone"}).status_code == 400
    taken = page_text(client.post("/trainer/quizzes/new", data={**form, "slug": "second"}))
    assert "Another quiz already uses this name." in taken
