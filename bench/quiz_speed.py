"""Grading and the quiz pages, timed in one process against a minimal page measured in the same run.

    .venv/bin/python bench/quiz_speed.py [--iterations 2000]

Grading is timed as pure code (every question of the real course's two quizzes, answered right and wrong).
The pages go through Flask's test client on an SQLite file with the real course loaded, signed in as a
learner: the cost of WSGI, the session, the user's query and the layout is in every figure, and the baseline
(a page that renders the same layout with one paragraph) shows how much of it the quiz adds. Figures are
medians and 95th percentiles of per-call times, in milliseconds; docs/performance.md keeps the last run.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SANALY_INSTANCE", tempfile.mkdtemp(prefix="sanaly-bench-"))
os.environ.setdefault("SECRET_KEY", "bench-only-secret")

from flask import render_template_string  # noqa: E402
from sqlalchemy import update  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts import services as accounts  # noqa: E402
from app.courseware.reader import read_courseware  # noqa: E402
from app.courseware.store import store_course  # noqa: E402
from app.db import db  # noqa: E402
from app.quizzes.grading import score_attempt  # noqa: E402
from app.quizzes.models import Quiz  # noqa: E402
from app.quizzes.responses import raw_of_response  # noqa: E402
from app.quizzes.rules import mark_slots  # noqa: E402
from app.security import public  # noqa: E402

PASSWORD = secrets.token_urlsafe(16)  # a throwaway account in a throwaway database
MINIMAL = '{% extends "base.html" %}{% block content %}<h1>Bench</h1><p>One paragraph.</p>{% endblock %}'


def timed(call: Callable[[], object], iterations: int) -> list[float]:
    call()  # warm up: caches, compiled templates, connections
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def summary(name: str, times: list[float], baseline: float | None) -> str:
    median = statistics.median(times) * 1000
    p95 = sorted(times)[int(0.95 * (len(times) - 1))] * 1000
    ratio = f"{median / baseline:.2f}" if baseline else "1.00"
    return f"| {name} | {len(times)} | {median:.3f} | {p95:.3f} | {ratio} |"


def course_specs():
    courses, report = read_courseware(ROOT / "courseware")
    if not report.ok:
        raise SystemExit("\n".join(str(e) for e in report.errors))
    return courses


def grading_rows(iterations: int, rng: random.Random, base: float) -> tuple[list[str], int]:
    questions = [q for module in course_specs()[0].modules if "quiz.yaml" in module.parts
                 for q in module.parts["quiz.yaml"].questions]
    right = {str(i): raw_of_response(q, q.correct_response()) for i, q in enumerate(questions)}
    mixed = {key: (value if rng.random() < 0.5 else None) for key, value in right.items()}

    def grade(answers):
        return lambda: score_attempt(mark_slots(questions, answers, {}), 70)

    if score_attempt(mark_slots(questions, right, {}), 70).percent < 100 - 100 * sum(
            q.points for q in questions if q.type_name == "essay") / sum(q.points for q in questions):
        raise SystemExit("the right answers do not earn full marks: the benchmark would time the wrong thing")
    rows = [timed(grade(right), iterations), timed(grade(mixed), iterations)]
    return [summary(f"grade one attempt of {len(questions)} questions, all right", rows[0], base),
            summary(f"grade one attempt of {len(questions)} questions, half unanswered", rows[1], base)], \
        len(questions)


def page_rows(iterations: int) -> tuple[list[str], float]:
    database = Path(os.environ["SANALY_INSTANCE"]) / "bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "LOG_REQUESTS": False})
    app.add_url_rule("/bench/minimal", "bench_minimal", public(lambda: render_template_string(MINIMAL)))
    with app.app_context():
        db.create_all()
        for spec in course_specs():
            store_course(spec)
        learner = accounts.create_user(email="bench@example.kz", password=PASSWORD, display_name="Bench",
                                       certificate_name="Bench", locale="kk")
        quiz = db.session.scalar(db.select(Quiz).where(Quiz.module_id.is_not(None)).order_by(Quiz.id))
        settings = {**quiz.settings, "attempts": 0, "draw": None, "time_limit_minutes": None}
        db.session.execute(update(Quiz).where(Quiz.id == quiz.id).values(settings=settings))
        db.session.commit()
        slug, questions = quiz.slug, len(quiz.live_questions)
    client = app.test_client()
    client.post("/login", data={"email": learner.email, "password": PASSWORD})

    def start() -> int:
        return int(client.post(f"/quizzes/{slug}/start").headers["Location"].split("/")[2].split("?")[0])

    def per_page(count: int) -> None:
        with app.app_context():
            db.session.execute(update(Quiz).where(Quiz.slug == slug).values(questions_per_page=count))
            db.session.commit()

    baseline = timed(lambda: client.get("/bench/minimal"), iterations)
    base = statistics.median(baseline) * 1000
    attempt_id = start()
    rows = [summary("baseline: the layout with one paragraph", baseline, base)]
    rows.append(summary("quiz page (rules, attempts, grade)", timed(lambda: client.get(f"/quizzes/{slug}"),
                                                                    iterations), base))
    rows.append(summary("attempt page, one question", timed(
        lambda: client.get(f"/attempts/{attempt_id}?page=3"), iterations), base))
    rows.append(summary("answer saved (autosave POST)", timed(
        lambda: client.post(f"/attempts/{attempt_id}/autosave", data={"page": 3, "q3": "a"}), iterations), base))
    per_page(50)
    rows.append(summary(f"attempt page, all {questions} questions", timed(
        lambda: client.get(f"/attempts/{attempt_id}?page=0"), iterations // 4), base))
    client.post(f"/attempts/{attempt_id}/submit")
    submits: list[float] = []
    for _ in range(max(20, iterations // 20)):
        fresh = start()
        began = time.perf_counter()
        client.post(f"/attempts/{fresh}/submit")
        submits.append(time.perf_counter() - began)
    rows.append(summary(f"submit and grade an attempt of {questions} questions", submits, base))
    rows.append(summary(f"review of {questions} questions", timed(
        lambda: client.get(f"/attempts/{attempt_id}/review"), iterations // 4), base))
    return rows, base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    arguments = parser.parse_args()
    header = ["| what | calls | median ms | p95 ms | × baseline |", "|---|---:|---:|---:|---:|"]
    pages, base = page_rows(arguments.iterations)
    # Which answers are left blank, not anything secret.
    grading, count = grading_rows(arguments.iterations * 5, random.Random(7), base)  # nosec B311
    print("Pages through the test client (SQLite, the real course, a signed-in learner):\n")
    print("\n".join(header + pages))
    print(f"\nGrading in pure code ({count} questions of the real course, every type), against the same baseline:\n")
    print("\n".join(header + grading))
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
