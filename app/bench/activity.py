"""What one benchmark learner did in the quizzes and the practicum, written by the features' own code.

Quiz attempts are drawn and graded by the quiz's own rules (select_questions, presented_order, raw_from_form,
mark_slots, score_attempt, Attempt.record_score), as the quiz services do; playthroughs are played by the
scenario's rules and stored as the rows take_choice leaves; submissions and grades go through the practicum
services (grades audited). Replaying every request through the services would take most of an hour for
10,000 learners and write the same rows: tests/web/bench checks that it does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from werkzeug.datastructures import MultiDict

from app.accounts.models import User
from app.bench.plan import LearnerPlan
from app.db import db
from app.practicum import scenario as scenario_rules
from app.practicum import submissions
from app.practicum.models import (
    Assignment,
    AssignmentVersion,
    Playthrough,
    PlaythroughStatus,
    Scenario,
    ScenarioVersion,
    SubmissionStatus,
)
from app.practicum.services import assignment_of, facts_of
from app.quizzes import services as quizzes
from app.quizzes.grading import score_attempt
from app.quizzes.models import Attempt, QuestionVersion, Quiz
from app.quizzes.quizspec import QuizSpec, presented_order, select_questions
from app.quizzes.rendering import source_question
from app.quizzes.responses import field_name, raw_from_form, raw_of_response
from app.quizzes.rules import AttemptStatus, deadline_for, mark_slots, paginate

MAX_ATTEMPTS = 4
WORDS = {
    "kk": ("оқиға", "туралы", "ресми", "дерек", "тексерілді", "куәгерлер", "сөзі", "жәбірленушілердің", "құрметі",
           "сақталды"),
    "ru": ("по", "официальным", "данным", "сведения", "проверены", "очевидцы", "подтвердили", "достоинство",
           "пострадавших"),
    "en": ("officials", "confirmed", "verified", "facts", "witnesses", "said", "victims", "dignity", "respected",
           "police", "statement"),
}


# --- quizzes --------------------------------------------------------------------------------------------------


def wrong_response(question: Any, rng: random.Random) -> Any:
    """A plausible mistake: another option, the other truth value, two items swapped; None when the type has
    no obvious one (the question is then left unanswered)."""
    correct = question.correct_response()
    kind = question.type_name
    if kind == "single":
        others = [o.id for o in question.options if o.id != correct]
        return rng.choice(others) if others else None
    if kind == "truefalse":
        return not correct
    if kind == "multiple":
        ids = [o.id for o in question.options]
        toggled = rng.choice(ids)
        picked = [i for i in correct if i != toggled] + ([toggled] if toggled not in correct else [])
        return tuple(i for i in ids if i in picked) or None
    if kind in ("matching", "ordering") and len(correct) >= 2:
        keys = list(correct) if kind == "matching" else list(range(len(correct)))
        a, b = rng.sample(keys, 2)
        swapped = dict(correct) if kind == "matching" else list(correct)
        swapped[a], swapped[b] = swapped[b], swapped[a]
        return swapped if kind == "matching" else tuple(swapped)
    return None


def _form_fields(question: Any, slot: int, raw: Any) -> list[tuple[str, str]]:
    """The form fields a browser would post for this saved answer."""
    if raw is None:
        return []
    if isinstance(raw, dict):
        return [(field_name(slot, key), str(value)) for key, value in raw.items()]
    if isinstance(raw, list):
        return [(field_name(slot), str(value)) for value in raw]
    return [(field_name(slot), str(raw))]


@dataclass
class QuizDeck:
    """A published quiz with its current questions parsed once, to draw and grade many attempts from.

    Parsing each version's JSON per attempt (as start_attempt and every page request do) would make seeding
    10,000 learners take a quarter of an hour; the draw and the grading below are the quiz services' own
    steps (start_attempt, save_page, submit_attempt, grade_attempt) on these parsed questions.
    """

    quiz: Quiz
    versions: list[QuestionVersion]
    questions: list[Any]
    drawn: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, quiz: Quiz) -> QuizDeck:
        versions = quizzes.live_versions(quiz)
        return cls(quiz, versions, [source_question(v) for v in versions])

    def draw(self, rng: random.Random) -> list[dict]:
        """The slots of a new attempt, as start_attempt draws them."""
        settings = self.quiz.quiz_settings
        pool = [q for q in self.questions if q.type_name != "description"]
        if settings.draw:
            settings = replace(settings, draw=min(settings.draw, len(pool)))
        spec = QuizSpec(title=self.quiz.title, settings=settings, questions=tuple(self.questions))
        version_of = {q.id: v for q, v in zip(self.questions, self.versions, strict=True)}
        slots = [{"question": q.id, "version": version_of[q.id].id,
                  "order": list(presented_order(q, rng, shuffle_options=settings.shuffle_options))}
                 for q in select_questions(spec, rng)]
        self.drawn.update(slot["version"] for slot in slots)
        return slots

    def lock_drawn(self) -> None:
        """Versions drawn by an attempt never change again (start_attempt's update)."""
        if self.drawn:
            db.session.execute(update(QuestionVersion).where(QuestionVersion.id.in_(self.drawn),
                                                             QuestionVersion.locked.is_(False)).values(locked=True))
            self.drawn.clear()


def take_attempt(deck: QuizDeck, user_id: int, number: int, skill: float, rng: random.Random,
                 started: datetime, *, finish: bool = True) -> Attempt:
    """An attempt answered page by page with the chance ``skill`` of each answer being right, then submitted
    and graded (or left in progress half-way when ``finish`` is false)."""
    quiz = deck.quiz
    settings = quiz.quiz_settings
    slots = deck.draw(rng)
    by_version = {v.id: q for v, q in zip(deck.versions, deck.questions, strict=True)}
    questions = [by_version[slot["version"]] for slot in slots]
    pages = paginate([q.type_name == "description" for q in questions], quiz.questions_per_page)
    saved_pages = len(pages) if finish else max(1, len(pages) // 2)
    answers: dict[str, Any] = {}
    for slots_of_page in pages[:saved_pages]:
        for slot in slots_of_page:
            question = questions[slot]
            if question.type_name == "description":
                continue
            response = question.correct_response() if rng.random() < skill else wrong_response(question, rng)
            form = MultiDict(_form_fields(question, slot, raw_of_response(question, response)))
            answers[str(slot)] = raw_from_form(question, slot, form)
    attempt = Attempt(quiz_id=quiz.id, user_id=user_id, number=number, slots=slots, answers=answers, checked=[],
                      started_at=started, deadline=deadline_for(started, settings), revision=saved_pages,
                      last_page=saved_pages - 1, status=AttemptStatus.IN_PROGRESS)
    if finish:
        attempt.status = AttemptStatus.SUBMITTED
        attempt.submitted_at = started + timedelta(minutes=2 * len(pages))
        attempt.revision += 1
        grades = mark_slots(questions, answers, {})
        attempt.record_score(score_attempt(grades, settings.pass_mark), [g.fraction for g in grades])
        attempt.graded_at = attempt.submitted_at
    db.session.add(attempt)
    return attempt


def take_quiz(deck: QuizDeck, user_id: int, plan: LearnerPlan, rng: random.Random, started: datetime, *,
              must_pass: bool) -> list[Attempt]:
    """A learner's attempts at a quiz: until one passes when ``must_pass``, else one that may fail or stop."""
    if not must_pass:
        return [take_attempt(deck, user_id, 1, plan.skill, rng, started, finish=rng.random() < 0.8)]
    attempts = []
    for number in range(1, MAX_ATTEMPTS + 1):
        # Learners reread and improve; the last try here is a learner who finally knows it all.
        skill = 1.0 if number == MAX_ATTEMPTS else min(1.0, plan.skill + 0.15 * (number - 1))
        attempts.append(take_attempt(deck, user_id, number, skill, rng, started + timedelta(hours=number)))
        if attempts[-1].passed:
            break
    return attempts


# --- the scenario --------------------------------------------------------------------------------------------


def play(version: ScenarioVersion, rng: random.Random, best_choice: float, *, stop_early: bool = False):
    """A path through the scenario, taking the best choice with the chance ``best_choice`` at each decision;
    with ``stop_early`` the learner leaves part-way (the playthrough stays in progress)."""
    facts = facts_of(version)
    scenario = facts.scenario
    path: list[str] = []
    stop_at = rng.randint(1, 12) if stop_early else None
    while not scenario_rules.is_finished(scenario, path) and len(path) != stop_at:
        node = scenario_rules.current_node(scenario, path)
        offered = scenario_rules.offered_choices(node)
        best = [c for c in offered if facts.is_best(node.id, c.id)]
        choice = best[0] if best and rng.random() < best_choice else rng.choice(offered)
        path = list(scenario_rules.advance(scenario, path, choice.id).path)
    return path


def playthrough_row(user_id: int, item: Scenario, version: ScenarioVersion, path: list[str],
                    started: datetime) -> dict:
    """The playthrough row take_choice leaves after the last step of ``path``."""
    scenario = facts_of(version).scenario
    ended = started + timedelta(minutes=2 + len(path))
    row = {"user_id": user_id, "scenario_id": item.id, "version_id": version.id, "path": path, "steps": len(path),
           "status": PlaythroughStatus.IN_PROGRESS, "scores": {}, "total": None, "passed": None,
           "ending_id": None, "started_at": started, "updated_at": ended, "finished_at": None}
    if scenario_rules.is_finished(scenario, path):
        scores = scenario_rules.score(scenario, path)
        row.update(status=PlaythroughStatus.FINISHED, scores=scores, total=sum(scores.values()),
                   passed=scenario_rules.passed(scenario, scores),
                   ending_id=scenario_rules.current_node(scenario, path).id, finished_at=ended)
    return row


def playthroughs_for(plan: LearnerPlan, user_id: int, item: Scenario, version: ScenarioVersion,
                     rng: random.Random, *, must_pass: bool, started: datetime) -> list[dict]:
    """A learner's playthroughs: replays until one passes when ``must_pass``; else one or two, the last perhaps
    left part-way."""
    rows = []
    for number in range(1, MAX_ATTEMPTS + 1):
        best_choice = 1.0 if number == MAX_ATTEMPTS else min(1.0, plan.skill + 0.1 * number)
        stop_early = not must_pass and rng.random() < 0.4
        path = play(version, rng, best_choice, stop_early=stop_early)
        rows.append(playthrough_row(user_id, item, version, path, started + timedelta(hours=number)))
        if stop_early or (must_pass and rows[-1]["passed"]) or (not must_pass and rng.random() < 0.6):
            break
    return rows


def insert_playthroughs(session, rows: list[dict]) -> None:
    if rows:
        session.execute(Playthrough.__table__.insert(), rows)


# --- the assignment ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grader:
    trainer: User
    feedback: str = "Thank you. See the rubric for what to strengthen."


def _text(locale: str, words: int, rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS[locale]) for _ in range(words)).capitalize() + "."


def write_answers(version: AssignmentVersion, locale: str, rng: random.Random) -> dict[str, str]:
    """Texts within each part's word limits, in the learner's language."""
    rules = assignment_of(version)
    return {part.id: _text(locale, rng.randint(part.min_words, part.max_words), rng) for part in rules.parts}


def _levels(version: AssignmentVersion, rng: random.Random, strong: bool) -> dict[str, int]:
    rubric = assignment_of(version).rubric
    return {c.id: rng.randint(len(c.levels) // 2 if strong else 0, len(c.levels) - 1) for c in rubric.criteria}


def do_assignment(user: User, plan: LearnerPlan, item: Assignment, version: AssignmentVersion, grader: Grader,
                  rng: random.Random, *, accepted: bool) -> None:
    """Submit; a trainer returns some work for revision; ``accepted``: the (revised) work is accepted, else the
    last revision waits for a grade or has just been returned."""
    returned_first = rng.random() < 0.3
    revision = 1
    submission = submissions.submit(user, item, version, write_answers(version, plan.locale, rng), revision)
    if returned_first:
        submissions.grade_submission(submission, grader.trainer, _levels(version, rng, False), grader.feedback,
                                     SubmissionStatus.RETURNED)
        if not accepted:
            return
        revision = 2
        submission = submissions.submit(user, item, version, write_answers(version, plan.locale, rng), revision)
    if accepted:
        submissions.grade_submission(submission, grader.trainer, _levels(version, rng, True), grader.feedback,
                                     SubmissionStatus.ACCEPTED)
