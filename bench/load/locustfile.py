"""Sanaly's load scenarios for locust, against 127.0.0.1 only.

Two modes (bench/run.py runs both and reads the summary each run writes to BENCH_OUT):

- The journey, modelled on Moodle's performance test plan (moodlehq/moodle-performance-comparison): learners
  sign in, open the course, open a module, read, take a quiz attempt page by page, play the scenario, sign out;
  trainers open the progress matrix, the grading queue and the statistics. Think times between steps
  (BENCH_THINK="2,6" seconds). Classes ``Learner`` and ``Trainer``.

      locust -f bench/load/locustfile.py --headless -u 100 -r 20 -t 60s -H http://127.0.0.1:8000 Learner Trainer

- One page at full speed (BENCH_PAGE=<name>, no think time, fixed concurrency): class ``PageUser``. The
  names are in PAGES; ``baseline`` is bench/baseline's page.

Every simulated user signs in as a different seeded learner (learner<n>@bench.sanaly.kz, from
BENCH_FIRST_LEARNER on) or trainer; BENCH_SITE names the JSON bench/load/site.py wrote, BENCH_PASSWORD the
password the seed printed. After BENCH_WARMUP seconds the statistics restart, so sign-ins and first requests
are not counted.
"""

from __future__ import annotations

import http.cookiejar
import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent
from locust import FastHttpUser, between, constant, events, task
from locust.stats import StatsEntry

from app.bench.plan import EMAIL, Stage, learner_plan
from app.practicum import scenario as scenario_rules
from bench.load.forms import csrf_token, form_posting_to

SITE = json.loads(Path(os.environ["BENCH_SITE"]).read_text(encoding="utf-8")) if os.environ.get("BENCH_SITE") else {}
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
PAGE = os.environ.get("BENCH_PAGE", "")
WARMUP = float(os.environ.get("BENCH_WARMUP", "0"))
THINK = tuple(float(x) for x in os.environ.get("BENCH_THINK", "2,6").split(","))
DATA_SEED = int(os.environ.get("BENCH_DATA_SEED", "1"))
_learners = itertools.count(int(os.environ.get("BENCH_FIRST_LEARNER", "1")))
SESSIONS = json.loads(Path(os.environ["BENCH_SESSIONS"]).read_text()) if os.environ.get("BENCH_SESSIONS") else {}
_pools = {"learners": itertools.count(), "trainers": itertools.count(),
          "playing": itertools.count(int(os.environ.get("BENCH_SESSION_OFFSET", "0")))}
_trainers = itertools.count(1)
_rng = random.Random(int(os.environ.get("BENCH_RANDOM_SEED", "1")))  # noqa: S311 - load pattern  # nosec B311
ATTEMPT_URL = re.compile(r"/attempts/(\d+)")
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


def _next_learner(playing: bool = False) -> str:
    """The next seeded learner; ``playing``: one the seed gave no playthrough, so the scenario starts afresh
    and this client knows each step's choices."""
    learners = SITE.get("learners") or 1
    for _ in range(1000):
        number = (next(_learners) - 1) % learners + 1
        if not playing or not learner_plan(DATA_SEED, number).reached(Stage.PLAYING):
            return EMAIL.format(number)
    raise RuntimeError("no seeded learner without a playthrough")


def _next_trainer() -> str:
    trainers = max(2, -(-(SITE.get("learners") or 1) // 500))
    return f"trainer{(next(_trainers) - 1) % trainers + 1}@bench.sanaly.kz"


def _course() -> str:
    return f"/courses/{SITE['course']}"


def _module(index: int) -> dict:
    return SITE["modules"][index]


def _scenario_module() -> dict:
    return next(m for m in SITE["modules"] if m["scenario"])


def _staff_page(endpoint: str) -> str:
    return next(p["url"] for p in SITE["staff_pages"] if p["endpoint"] == endpoint)


def post_form(client, url: str, fields: list[tuple[str, str]], **kwargs):
    """POST fields as a browser sends a form (repeated names, such as a multiple choice's, included)."""
    return client.post(url, data=urlencode(fields), headers=FORM_HEADERS, **kwargs)


class SanalyUser(FastHttpUser):
    """Signs in as a seeded account and keeps the session's CSRF token."""

    abstract = True
    email = ""
    csrf = ""

    def adopt(self, pool: str) -> None:
        """Take the next session of a pool bench/run.py signed in beforehand (BENCH_SESSIONS)."""
        sessions = SESSIONS[pool]
        session = sessions[next(_pools[pool]) % len(sessions)]
        for cookie in session["cookies"]:
            self.client.cookiejar.set_cookie(http.cookiejar.Cookie(
                0, cookie["name"], cookie["value"], None, False, cookie["domain"], False, False, cookie["path"],
                True, False, None, True, None, None, {}))
        self.email, self.csrf = session["email"], session["csrf"]

    def sign_in(self, email: str) -> None:
        self.email = email
        page = self.client.get("/login", name="sign-in page")
        self.csrf = csrf_token(page.text)
        self.client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": self.csrf},
                         name="sign in POST", allow_redirects=False)
        self.csrf = csrf_token(self.client.get("/dashboard", name="dashboard").text)

    def sign_out(self) -> None:
        self.client.post("/logout", data={"csrf_token": self.csrf}, name="sign out POST", allow_redirects=False)

    def think(self) -> None:
        gevent.sleep(_rng.uniform(*THINK))


# --- what a learner does --------------------------------------------------------------------------------------


class QuizTaker:
    """Starts (or resumes) an attempt and answers it page by page, as a browser does."""

    def __init__(self, user: SanalyUser, quiz_slug: str) -> None:
        self.user, self.quiz_slug = user, quiz_slug

    def start(self) -> str:
        """The attempt's URL (its current page)."""
        client = self.user.client
        client.get(f"/quizzes/{self.quiz_slug}", name="quiz")
        response = client.post(f"/quizzes/{self.quiz_slug}/start", data={"csrf_token": self.user.csrf},
                               name="quiz start POST", allow_redirects=False)
        location = response.headers.get("Location", "")
        if not ATTEMPT_URL.search(location):
            raise RuntimeError(f"no attempt started for {self.user.email}: {response.status_code} {location}")
        return urlsplit(location).path + ("?" + urlsplit(location).query if urlsplit(location).query else "")

    def answer_page(self, page_url: str, go: str | None = None):
        """Answer the page at page_url; ``go`` says where to go next (the form's next page by default)."""
        client = self.user.client
        page = client.get(page_url.split("#")[0], name="quiz attempt page")
        form = form_posting_to(page.text, "/attempts/")
        if form is None:  # the attempt was submitted meanwhile: its review
            return None
        # The first button is the one a learner presses: "Next page", or "Finish the attempt" on the last page.
        target = go or next((value for name, value in form.buttons if name == "go"), "finish")
        return post_form(client, form.action, form.fill(_rng, go=target), name="quiz answer POST",
                         allow_redirects=False)

    def take(self, think) -> None:
        """Every page, then the summary and the submit, thinking between pages."""
        location = self.start()
        for _ in range(50):
            think()
            response = self.answer_page(location)
            if response is None:
                return
            location = response.headers.get("Location", "")
            if location.split("#")[0].endswith("/finish"):
                break
        summary = self.user.client.get(location.split("#")[0], name="quiz summary")
        form = form_posting_to(summary.text, "/submit")
        if form is not None:
            think()
            post_form(self.user.client, form.action, form.fill(_rng), name="quiz submit POST")


class ScenarioPlayer:
    """Plays the practicum scenario, knowing from its definition which choices each step offers."""

    def __init__(self, user: SanalyUser) -> None:
        self.user = user
        module = _scenario_module()
        self.base = f"{_course()}/modules/{module['slug']}/scenario"
        self.scenario, _, _ = scenario_rules.parse_scenario(SITE["scenario_definition"])
        self.path: list[str] = []

    def start(self) -> None:
        self.user.client.post(f"{self.base}/start", data={"csrf_token": self.user.csrf},
                              name="scenario start POST", allow_redirects=False)
        self.path = []

    def choose(self, follow: bool) -> bool:
        """One choice at the current step; True when it ended the playthrough."""
        node = scenario_rules.current_node(self.scenario, self.path)
        choice = _rng.choice(scenario_rules.offered_choices(node))
        response = self.user.client.post(
            f"{self.base}/choose", data={"csrf_token": self.user.csrf, "step": str(len(self.path)),
                                         "choice": choice.id},
            name="scenario choice POST", allow_redirects=False)
        self.path = list(scenario_rules.advance(self.scenario, self.path, choice.id).path)
        if follow:
            self.user.client.get(response.headers.get("Location", self.base), name="scenario page")
        return scenario_rules.is_finished(self.scenario, self.path)


class Learner(SanalyUser):
    """A learner's session, as in Moodle's test plan: sign in, course, module, read, quiz, scenario, sign out."""

    wait_time = between(*THINK)
    weight = 20

    @task
    def session(self) -> None:
        self.sign_in(_next_learner(playing=True))
        self.think()
        self.client.get("/", name="course")
        index = _rng.randrange(len(SITE["modules"]))
        module = _module(index)
        self.think()
        self.client.get(f"{_course()}/modules/{module['slug']}", name="module")
        for reading in _rng.sample(module["readings"], min(2, len(module["readings"]))):
            url = f"{_course()}/modules/{module['slug']}/readings/{reading}"
            self.think()
            self.client.get(url, name="reading")
            self.think()
            self.client.post(f"{url}/read", data={"csrf_token": self.csrf, "how": "end"}, name="reading read POST",
                             allow_redirects=False)
        quiz = module["quiz"] or next(m["quiz"] for m in SITE["modules"] if m["quiz"])
        QuizTaker(self, quiz).take(self.think)
        self.play_scenario()
        self.think()
        self.sign_out()

    def play_scenario(self) -> None:
        player = ScenarioPlayer(self)
        self.think()
        self.client.get(player.base, name="scenario page")
        player.start()
        for _ in range(60):
            self.think()
            if player.choose(follow=True):
                break


class Trainer(SanalyUser):
    """A trainer's session: the progress matrix (a page, a cohort), the grading queue, the statistics."""

    wait_time = between(*THINK)
    weight = 1

    @task
    def session(self) -> None:
        self.sign_in(_next_trainer())
        matrix = _staff_page("progress.matrix")
        pages = max(1, -(-SITE["learners"] // 50))
        for url, name in ((_staff_page("admin.trainer_home"), "trainer home"), (matrix, "progress matrix"),
                          (f"{matrix}?page={_rng.randint(1, pages)}", "progress matrix"),
                          (f"{matrix}?cohort=1", "progress matrix (cohort)"),
                          (_staff_page("practicum.grading_queue"), "grading queue"),
                          (_staff_page("quizzes.statistics"), "quiz statistics"),
                          (_staff_page("practicum.statistics"), "scenario statistics")):
            self.think()
            self.client.get(url, name=name)
        # Trainers stay signed in: signing out ends every session of the account (session_epoch).


# --- one page at full speed ----------------------------------------------------------------------------------


def _reading_url() -> str:
    module = _module(0)
    return f"{_course()}/modules/{module['slug']}/readings/{module['readings'][0]}"


PAGES = {
    # name: (signs in as, what the user prepares, the request it repeats)
    "course": ("learner", None, lambda u: u.client.get("/", name="course")),
    "module": ("learner", None, lambda u: u.client.get(f"{_course()}/modules/{_module(0)['slug']}", name="module")),
    "reading": ("learner", None, lambda u: u.client.get(_reading_url(), name="reading")),
    "quiz": ("learner", None, lambda u: u.client.get(f"/quizzes/{_module(0)['quiz']}", name="quiz")),
    "quiz attempt page": ("learner", "attempt", lambda u: u.client.get(u.attempt_url, name="quiz attempt page")),
    "quiz answer POST": ("learner", "attempt", lambda u: post_form(
        u.client, u.answer_action, u.answer_fields, name="quiz answer POST", allow_redirects=False)),
    "scenario choice POST": ("learner", "scenario", lambda u: u.player.choose(follow=False) and u.player.start()),
    "progress matrix": ("trainer", None, lambda u: u.client.get(_staff_page("progress.matrix"),
                                                                name="progress matrix")),
    "grading queue": ("trainer", None, lambda u: u.client.get(_staff_page("practicum.grading_queue"),
                                                              name="grading queue")),
    "quiz statistics": ("trainer", None, lambda u: u.client.get(_staff_page("quizzes.statistics"),
                                                                name="quiz statistics")),
    "scenario statistics": ("trainer", None, lambda u: u.client.get(_staff_page("practicum.statistics"),
                                                                    name="scenario statistics")),
    "baseline": (None, None, lambda u: u.client.get(f"/articles/{_rng.randint(1, 200)}", name="baseline")),
}


class PageUser(SanalyUser):
    """Repeats one request of PAGES with no think time."""

    wait_time = constant(0)

    def on_start(self) -> None:
        role, prepare, _ = PAGES[PAGE]
        pool = {"learner": "playing" if prepare == "scenario" else "learners", "trainer": "trainers"}.get(role)
        if pool and SESSIONS.get(pool):
            self.adopt(pool)
        elif role == "learner":
            self.sign_in(_next_learner(playing=prepare == "scenario"))
        elif role == "trainer":
            self.sign_in(_next_trainer())
        if prepare == "attempt":
            taker = QuizTaker(self, _module(0)["quiz"])
            self.attempt_url = taker.start()
            page = self.client.get(self.attempt_url, name="quiz attempt page")
            form = form_posting_to(page.text, "/attempts/")
            # Saving the same page again and again: each save is a full write of the attempt's answers.
            self.answer_action = form.action
            self.answer_fields = form.fill(_rng, go=form.hidden.get("page", "0"))
        elif prepare == "scenario":
            self.player = ScenarioPlayer(self)
            self.player.start()

    @task
    def repeat(self) -> None:
        PAGES[PAGE][2](self)


# --- the summary bench/run.py reads ----------------------------------------------------------------------------


@events.test_start.add_listener
def _restart_statistics_after_warmup(environment, **kwargs) -> None:
    environment.measure_started = time.time()
    if WARMUP > 0:
        def restart() -> None:
            environment.requests_in_warmup = environment.stats.total.num_requests
            environment.stats.reset_all()
            environment.measure_started = time.time()
        gevent.spawn_later(WARMUP, restart)


@events.quitting.add_listener
def _write_summary(environment, **kwargs) -> None:
    if not os.environ.get("BENCH_OUT"):
        return
    seconds = max(1e-6, time.time() - getattr(environment, "measure_started", time.time()))
    entries = {}
    for (name, method), entry in environment.stats.entries.items():
        entries[f"{method} {name}"] = {
            "name": name, "method": method, "requests": entry.num_requests, "failures": entry.num_failures,
            "rps": entry.num_requests / seconds,
            **{f"p{p}": entry.get_response_time_percentile(p / 100) for p in (50, 95, 99)},
            "mean_ms": entry.avg_response_time,
        }
    errors = [{"name": e.name, "method": e.method, "error": str(e.error), "occurrences": e.occurrences}
              for e in environment.stats.errors.values()]
    exceptions = [{"count": e["count"], "message": e["msg"]} for e in environment.runner.exceptions.values()]
    total = environment.stats.total
    # Pages apart from signing in, whose password hash is slow on purpose.
    pages = StatsEntry(environment.stats, "pages", "", use_response_times_cache=False)
    for (name, _), entry in environment.stats.entries.items():
        if name != "sign in POST":
            pages.extend(entry)
    summary = {
        "seconds": seconds, "requests": total.num_requests, "failures": total.num_failures,
        "requests_in_warmup": getattr(environment, "requests_in_warmup", 0),
        "rps": total.num_requests / seconds,
        **{f"p{p}": total.get_response_time_percentile(p / 100) for p in (50, 95, 99)},
        "entries": entries, "errors": errors, "exceptions": exceptions,
        "pages": {"requests": pages.num_requests,
                  **{f"p{p}": pages.get_response_time_percentile(p / 100) for p in (50, 95, 99)}},
    }
    with open(os.environ["BENCH_OUT"], "w", encoding="utf-8") as out:
        json.dump(summary, out, indent=1)
