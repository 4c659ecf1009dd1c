"""Every HTML page of the app, with real objects behind it, for the whole-site browser checks.

The list comes from ``app.url_map``: each endpoint a browser can GET is either given addresses here (its URL
parameters filled from the sample course and from the records ``build_site`` makes) or named in ``NOT_HTML`` with
the reason. ``test_every_page_is_listed`` fails on anything else, so a new page cannot escape the checks.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func

from app.accounts.models import User
from app.accounts.roles import Role
from app.accounts.services import make_reset_token
from app.certificates.models import Certificate
from app.cohorts.models import Cohort
from app.courseware.models import Course, Reading
from app.db import db
from app.jobs.services import dispatch, start_job
from app.practicum.models import Playthrough, Scenario, Submission
from app.progress.services import mark_read
from app.quizzes.models import Attempt, Question, Quiz
from tests.browser.conftest import serve
from tests.conftest import PASSWORD, _make_app, login, make_user

COURSE = "sample-course"
MODULES = ("first", "second", "practicum")
PRACTICUM = "practicum"
ROLES = ("anonymous", "learner", "trainer", "admin")
LANGUAGES = ("kk", "ru", "en")

# GET endpoints that answer with something other than an HTML page; the checks skip them, for the reason given.
NOT_HTML = {
    "static": "stylesheets, scripts and icons, weighed by the page-weight test",
    "site.healthz": "JSON health check for load balancers",
    "jobs.status_json": "JSON polled by the job page's script",
    "progress.matrix_csv": "CSV download",
    "quizzes.statistics_csv": "CSV download",
    "quizzes.export_gift": "GIFT text download",
    "practicum.image": "scenario image (PNG/JPEG/WebP)",
    "certificates.pdf": "PDF download",
    "certificates.credential": "JSON-LD credential",
    "certificates.issuer": "JSON-LD issuer profile",
    "certificates.jwks": "JSON web key set",
    "certificates.status_list": "JSON-LD status list credential",
}


@dataclass
class Site:
    """The records behind the pages, and the pages' addresses per endpoint."""

    emails: dict[str, str]
    ids: dict[str, Any] = field(default_factory=dict)
    urls: dict[str, list[str]] = field(default_factory=dict)

    def pages(self) -> list[tuple[str, str]]:
        return [(endpoint, url) for endpoint, urls in sorted(self.urls.items()) for url in urls]


@dataclass
class RunningSite:
    """The served app (CSRF on, as in production), the setup app on the same database, and the site's records."""

    base_url: str
    app: Flask
    setup_app: Flask
    site: Site


@contextmanager
def open_site(tmp_dir: Path, template: Path) -> Iterator[RunningSite]:
    """A copy of the test database with the records of ``build_site``, served for the duration of the block."""
    path = tmp_dir / "site.db"
    shutil.copy(template, path)
    url = f"sqlite:///{path}"
    app, setup_app = _make_app(url, WTF_CSRF_ENABLED=True, SERVER_NAME=None), _make_app(url)
    site = build_site(setup_app)
    with serve(app) as base_url:
        yield RunningSite(base_url, app, setup_app, site)
    for each in (app, setup_app):
        with each.app_context():
            db.engine.dispose()


def html_get_endpoints(app: Flask) -> set[str]:
    """Endpoints a browser can open: those answering GET."""
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}


class Setup:
    """Makes records through the app's own forms, as the people who would make them (CSRF off)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.clients: dict[str, Any] = {}

    def client(self, user: User):
        if user.email not in self.clients:
            client = self.app.test_client()
            login(client, user)
            self.clients[user.email] = client
        return self.clients[user.email]

    def post(self, user: User, url: str, expect: tuple[int, ...] = (302, 303), **kwargs):
        response = self.client(user).post(url, **kwargs)
        assert response.status_code in expect, (url, response.status_code, response.get_data(as_text=True)[-800:])
        return response


# The sample course's second quiz, answered in full (the fields of the other pages are ignored on each page).
SECOND_QUIZ_ANSWERS = {"q1-extremism": "extremism", "q1-terrorism": "terrorism", "q2-verify": "1", "q2-write": "2",
                       "q2-publish": "3", "q3": "1999", "q4": "ATC", "q5": "Four injured, police say."}


def attempt_id_of(response) -> int:
    return int(re.match(r".*/attempts/(\d+)", response.headers["Location"]).group(1))


def _scenario_step(client) -> int:
    page = client.get(f"/courses/{COURSE}/modules/{PRACTICUM}/scenario").get_data(as_text=True)
    return int(re.search(r'name="step" type="hidden" value="(\d+)"', page).group(1))


def play(setup: Setup, user: User, choices: list[str], start: bool = True) -> None:
    scenario = f"/courses/{COURSE}/modules/{PRACTICUM}/scenario"
    if start:
        setup.post(user, f"{scenario}/start")
    for choice in choices:
        setup.post(user, f"{scenario}/choose", data={"choice": choice, "step": _scenario_step(setup.client(user))})


def build_site(app: Flask) -> Site:
    """Accounts for each role and a learner with progress everywhere: readings read, quiz attempts finished and in
    progress, an essay awaiting grading, a finished and an unfinished playthrough, an assignment sent back for
    revision and resubmitted, a cohort, a certificate."""
    with app.app_context():
        learner = make_user(Role.LEARNER, email="learner@example.kz", display_name="Aigerim", locale="en")
        trainer = make_user(Role.TRAINER, email="trainer@example.kz", display_name="Dana", locale="en")
        admin = make_user(Role.ADMIN, email="admin@example.kz", display_name="Nurlan", locale="en")
        setup = Setup(app)
        learn = setup.client(learner)
        module = f"/courses/{COURSE}/modules"

        for path in (f"{module}/first/readings/alpha", f"{module}/first/readings/beta"):
            setup.post(learner, f"{path}/read")

        first = attempt_id_of(setup.post(learner, "/quizzes/first/start"))
        learn.post(f"/attempts/{first}", data={"page": 0, "q0": "calm", "go": "1"})
        setup.post(learner, f"/attempts/{first}/submit")
        second = attempt_id_of(setup.post(learner, "/quizzes/first/start"))
        essay = attempt_id_of(setup.post(learner, "/quizzes/second/start"))
        pages = int(re.search(r"of (\d+)", learn.get(f"/attempts/{essay}").get_data(as_text=True)).group(1))
        for page in range(pages):
            learn.post(f"/attempts/{essay}", data={"page": page, **SECOND_QUIZ_ANSWERS})
        setup.post(learner, f"/attempts/{essay}/submit")

        play(setup, learner, ["publish-video", "continue", "continue", "run-photo"])
        play(setup, learner, ["confirmed-alert"])
        assignment = f"{module}/{PRACTICUM}/assignment"
        answers = {"part_0": "Explosion near Sarybel bus station: four injured",
                   "part_1": ("An explosive device went off near the Sarybel bus station at 13:45, the town police "
                              "said. Four people were injured; their lives are not in danger. Keep away."),
                   "part_2": "Police: four injured near Sarybel bus station. Avoid the area."}
        setup.post(learner, assignment, data={"revision_number": 1, **answers})

        first_submission = db.session.scalar(db.select(Submission.id).where(Submission.user_id == learner.id))
        setup.post(trainer, f"/practicum/submissions/{first_submission}/grade",
                   data={**{f"criterion_{i}": "1" for i in range(4)}, "feedback": "Name the source.",
                         "decision": "returned"})
        setup.post(learner, assignment, data={"revision_number": 2, **answers})
        submissions = db.session.scalars(db.select(Submission.id).where(Submission.user_id == learner.id)
                                         .order_by(Submission.revision)).all()

        setup.post(admin, "/admin/cohorts/", data={"name": "Almaty newsrooms 2026"})
        cohort = db.session.scalar(db.select(func.max(Cohort.id)))
        setup.post(admin, f"/admin/cohorts/{cohort}", data={"emails": learner.email})

        job = start_job("mail.send", {"to": learner.email, "subject": "Welcome", "body": "Welcome to Sanaly."},
                        actor_id=admin.id)
        db.session.commit()
        dispatch(job)  # the test configuration runs it at once: the page shows a finished job
        playthroughs = db.session.scalars(db.select(Playthrough.id).where(Playthrough.user_id == learner.id)
                                          .order_by(Playthrough.id)).all()
        scenario = db.session.scalar(db.select(Scenario.id))
        questions = db.session.execute(db.select(Quiz.slug, Question.slug).join(Question, Question.quiz_id == Quiz.id)
                                       .order_by(Quiz.id, Question.position)).all()
        assert db.session.get(Attempt, essay).status.value == "awaiting_grading"
        site = Site(emails={"learner": learner.email, "trainer": trainer.email, "admin": admin.email})
        site.ids = {"learner": learner.id, "trainer": trainer.id, "admin": admin.id, "attempt_done": first,
                    "attempt_open": second, "attempt_essay": essay, "playthroughs": playthroughs,
                    "submissions": submissions, "cohort": cohort, "job": job.id, "scenario": scenario,
                    "questions": questions, "reset_token": make_reset_token(learner, app.config["SECRET_KEY"])}
        site.ids["certificate"] = issue_certificate(setup, admin, learner)
        site.urls = _addresses(site.ids)
        return site


def issue_certificate(setup: Setup, admin: User, learner: User) -> str:
    """Complete the course by its readings (graded work made optional in this copy) and issue the certificate."""
    course = db.session.scalar(db.select(Course).where(Course.slug == COURSE))
    course.completion = {"quizzes": "optional", "scenarios": "optional", "assignments": "optional"}
    for reading_id in db.session.scalars(db.select(Reading.id).join(Reading.module).where(
            Reading.retired.is_(False))).all():
        mark_read(learner.id, reading_id, "marked")
    db.session.commit()
    setup.post(admin, "/admin/certificates/issue", data={"email": learner.email, "course": COURSE})
    return db.session.scalar(db.select(Certificate.code).where(Certificate.user_id == learner.id))


def _addresses(ids: dict[str, Any]) -> dict[str, list[str]]:
    """The addresses of every HTML page, per endpoint."""
    course = f"/courses/{COURSE}"
    practicum = f"{course}/modules/{PRACTICUM}"
    urls: dict[str, list[str]] = {
        "courseware.home": ["/"],
        "courseware.welcome": [f"{course}/welcome"],
        "courseware.glossary": [f"{course}/glossary"],
        "courseware.module": [f"{course}/modules/{slug}" for slug in MODULES],
        "courseware.reading": [f"{course}/modules/first/readings/alpha", f"{course}/modules/first/readings/beta",
                               f"{course}/modules/second/readings/gamma", f"{practicum}/readings/briefing"],
        "progress.dashboard": ["/dashboard"],
        "progress.course_progress": [f"{course}/progress"],
        "progress.matrix": [f"/trainer/courses/{COURSE}/progress"],
        "accounts.login": ["/login"],
        "accounts.register": ["/register"],
        "accounts.logout": ["/logout"],
        "accounts.forgot_password": ["/forgot"],
        "accounts.reset_password": [f"/reset/{ids['reset_token']}"],
        "accounts.account": ["/account"],
        "accounts.change_password": ["/account/password"],
        "admin.trainer_home": ["/trainer"],
        "admin.admin_home": ["/admin"],
        "admin.users": ["/admin/users"],
        "admin.audit": ["/admin/audit"],
        "cohorts.index": ["/admin/cohorts/"],
        "cohorts.detail": [f"/admin/cohorts/{ids['cohort']}"],
        "jobs.status": [f"/admin/jobs/{ids['job']}"],
        "quizzes.quiz": ["/quizzes/first", "/quizzes/second"],
        "quizzes.attempt": [f"/attempts/{ids['attempt_open']}"],
        "quizzes.summary": [f"/attempts/{ids['attempt_open']}/finish"],
        "quizzes.review": [f"/attempts/{ids['attempt_done']}/review", f"/attempts/{ids['attempt_essay']}/review"],
        "quizzes.trainer_quizzes": ["/trainer/quizzes"],
        "quizzes.new_quiz": ["/trainer/quizzes/new"],
        "quizzes.manage": ["/trainer/quizzes/first", "/trainer/quizzes/second"],
        "quizzes.edit_quiz": ["/trainer/quizzes/first/settings"],
        # A new question's form is the edit form of its type, each opened below: the default type stands for all.
        "quizzes.new_question": ["/trainer/quizzes/first/questions/new"],
        "quizzes.edit_question": [f"/trainer/quizzes/{quiz}/questions/{question}"
                                  for quiz, question in ids["questions"]],
        "quizzes.preview_question": [f"/trainer/quizzes/{quiz}/questions/{question}/preview"
                                     for quiz, question in ids["questions"]],
        "quizzes.preview_quiz": ["/trainer/quizzes/second/preview"],
        "quizzes.quiz_attempts": ["/trainer/quizzes/first/attempts"],
        "quizzes.grade_attempt": [f"/trainer/attempts/{ids['attempt_essay']}"],
        "quizzes.import_gift": ["/trainer/quizzes/first/gift"],
        "quizzes.statistics": ["/trainer/quizzes/first/statistics", "/trainer/quizzes/second/statistics"],
        "practicum.scenario": [f"{practicum}/scenario"],
        "practicum.playthrough": [f"{practicum}/scenario/playthroughs/{pid}" for pid in ids["playthroughs"]],
        "practicum.assignment": [f"{practicum}/assignment"],
        "practicum.submission": [f"{practicum}/assignment/submissions/{sid}" for sid in ids["submissions"]],
        "practicum.grading_queue": ["/practicum/grading"],
        "practicum.grade": [f"/practicum/submissions/{sid}/grade" for sid in ids["submissions"]],
        "practicum.statistics": [f"/practicum/scenarios/{ids['scenario']}/statistics"],
        "certificates.verify": ["/verify", f"/verify?code={ids['certificate']}"],
        "certificates.verification": [f"/verify/{ids['certificate']}"],
        "certificates.mine": [f"{course}/certificate"],
        "certificates.admin_list": ["/admin/certificates"],
        "certificates.admin_detail": [f"/admin/certificates/{ids['certificate']}"],
    }
    return urls


def set_locale(app: Flask, email: str, language: str) -> None:
    """Signed-in pages speak the account's language: set it."""
    with app.app_context():
        db.session.execute(db.update(User).where(User.email == email).values(locale=language))
        db.session.commit()


def signed_in_context(browser, base_url: str, email: str | None, language: str, **options):
    """A browser context signed in as ``email`` (or anonymous) and speaking ``language``."""
    context = browser.new_context(base_url=base_url, locale=language, **options)
    if email is None:
        context.add_cookies([{"name": "lang", "value": language, "url": base_url}])
        return context
    page = context.new_page()
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    page.close()
    return context
