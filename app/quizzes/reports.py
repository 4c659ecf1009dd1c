"""Quiz statistics for trainers: graded attempts turned into the marks table ``statistics.py`` reads.

Which attempts count is the trainer's choice, as Moodle's "attempts to analyse": each learner's best (the
grade that counts, by default), first, or all. When attempts did not all draw the same questions (a random
draw, or questions added or removed since), each question is analysed on the attempts that drew it, against
the rest of those attempts' marks, and the quiz figures are computed from the attempts' percentages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.db import db
from app.html import safe
from app.i18n import pick
from app.quizzes.models import Attempt, Quiz
from app.quizzes.rendering import html_question, source_question
from app.quizzes.rules import AttemptStatus
from app.quizzes.services import versions_by_id
from app.quizzes.statistics import QuestionStats, QuizStats, question_statistics, quiz_statistics

WHICH = {"best": _l("Each learner's best attempt"), "first": _l("Each learner's first attempt"),
         "all": _l("Every attempt")}


def which_attempts(value: str | None) -> str:
    return value if value in WHICH else "best"


@dataclass(frozen=True)
class QuestionRow:
    number: int
    slug: str
    type_name: str
    prompt: str
    stats: QuestionStats | None


@dataclass(frozen=True)
class QuizReport:
    stats: QuizStats | None
    questions: tuple[QuestionRow, ...]
    mean_percent: float | None
    median_percent: float | None
    same_questions: bool

    @property
    def tallest_band(self) -> int:
        return max((band.count for band in self.stats.distribution), default=0) if self.stats else 0


def _chosen(attempts: Sequence[Attempt], which: str) -> list[Attempt]:
    if which == "all":
        return list(attempts)
    chosen: dict[int, Attempt] = {}
    for attempt in attempts:
        held = chosen.get(attempt.user_id)
        better = (attempt.number < held.number if which == "first"
                  else (attempt.percent or 0, -attempt.number) > (held.percent or 0, -held.number)) if held else True
        if better:
            chosen[attempt.user_id] = attempt
    return sorted(chosen.values(), key=lambda a: a.id)


def _marks_by_slug(attempt: Attempt, points: dict[int, float]) -> dict[str, float | None]:
    marks = attempt.marks or []
    return {slot["question"]: (None if marks[i] is None else marks[i] * points[slot["version"]])
            for i, slot in enumerate(attempt.slots) if i < len(marks)}


def quiz_report(quiz: Quiz, which: str) -> QuizReport:
    """The statistics of a quiz (``quiz`` loaded with its questions); three queries."""
    attempts = _chosen(list(db.session.scalars(
        select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.status == AttemptStatus.GRADED)
        .order_by(Attempt.id))), which)
    versions = versions_by_id([slot["version"] for a in attempts for slot in a.slots])
    points = {vid: source_question(v).points for vid, v in versions.items()}
    asked = [q for q in quiz.questions if q.current.type_name != "description"
             and (not q.retired or any(s["question"] == q.slug for a in attempts for s in a.slots))]
    slugs = [q.slug for q in asked]
    rows = [_marks_by_slug(a, points) for a in attempts]
    same = all(set(row) >= set(slugs) for row in rows)
    max_marks = [source_question(q.current).points for q in asked]
    if not attempts:
        return QuizReport(None, _rows(asked, [None] * len(asked)), None, None, True)
    if same:
        stats = quiz_statistics([[row[s] for s in slugs] for row in rows], max_marks, slugs)
        return QuizReport(stats, _rows(asked, list(stats.questions)), stats.mean_percent, stats.median_percent, True)
    overall = quiz_statistics([[a.percent or 0.0] for a in attempts], [100.0], ["total"])
    per_question = []
    for slug, max_mark in zip(slugs, max_marks, strict=True):
        drew = [row for row in rows if slug in row]
        if not drew:
            per_question.append(None)
            continue
        pairs = [[row[slug] or 0.0, sum(m or 0.0 for k, m in row.items() if k != slug)] for row in drew]
        rest = max(1.0, max(p[1] for p in pairs))
        per_question.append(question_statistics(pairs, [max_mark, rest], [slug, "rest"])[0])
    return QuizReport(overall, _rows(asked, per_question), overall.mean_percent, overall.median_percent, False)


def _rows(questions, stats: Sequence[QuestionStats | None]) -> tuple[QuestionRow, ...]:
    return tuple(
        QuestionRow(number, q.slug, q.current.type_name,
                    _excerpt(safe(pick(html_question(q.current).prompt).value).striptags()), found)
        for number, (q, found) in enumerate(zip(questions, stats, strict=True), start=1))


def _excerpt(text: str, length: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def report_csv(report: QuizReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["number", "question", "type", "attempts", "facility_index", "standard_deviation",
                     "discrimination_index", "discriminative_efficiency", "intended_weight", "effective_weight"])
    for row in report.questions:
        s = row.stats
        writer.writerow([row.number, row.slug, row.type_name, s.attempts if s else 0,
                         *(_figure(getattr(s, name, None)) for name in (
                             "facility", "standard_deviation", "discrimination_index", "discriminative_efficiency",
                             "intended_weight", "effective_weight"))])
    return out.getvalue()
