"""The written assignment: submitting and revising, the trainers' grading queue, and grading.

The limits and the rubric arithmetic are assignment.py's; here they meet the database. A learner has at most
one revision waiting for a trainer; a revision is graded once, however many trainers press "Save" at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select, true, update
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.accounts.models import User
from app.audit.services import record
from app.courseware.models import Course, Module
from app.db import db, utcnow
from app.practicum.assignment import Assignment as AssignmentRules
from app.practicum.assignment import Level, RubricCriterion, score_rubric
from app.practicum.courseware import SCENARIO_SLUG
from app.practicum.models import (
    Assignment,
    AssignmentVersion,
    Grade,
    Playthrough,
    PlaythroughStatus,
    Scenario,
    Submission,
    SubmissionStatus,
)
from app.practicum.services import ScenarioFacts, assignment_of, best_of, can_view_submission, facts_of
from app.upsert import insert_ignoring_conflict

QUEUE_PAGE = 50


class AlreadyGraded(Exception):
    """Another trainer graded this revision first."""


def submissions_of(user_id: int, assignment_id: int) -> list[Submission]:
    """A learner's revisions of an assignment, newest first, with their grades."""
    return list(db.session.scalars(
        select(Submission).options(joinedload(Submission.grade), joinedload(Submission.version))
        .where(Submission.user_id == user_id, Submission.assignment_id == assignment_id)
        .order_by(Submission.revision.desc())
    ))


def next_revision(submissions: list[Submission]) -> int | None:
    """The revision the learner may write now: the first, or the next after one returned; None while one waits
    for a trainer or once one is accepted."""
    if not submissions:
        return 1
    latest = submissions[0]
    return latest.revision + 1 if latest.status is SubmissionStatus.RETURNED else None


def submit(user: User, assignment: Assignment, version: AssignmentVersion, answers: Mapping[str, str],
           revision: int) -> Submission:
    """Store a checked revision with the texts exactly as written; a second submit of it changes nothing."""
    insert_ignoring_conflict(
        Submission,
        {"user_id": user.id, "assignment_id": assignment.id, "version_id": version.id, "revision": revision,
         "answers": dict(answers), "status": SubmissionStatus.SUBMITTED, "submitted_at": utcnow()},
        ["user_id", "assignment_id", "revision"],
    )
    return db.session.scalar(select(Submission).where(
        Submission.user_id == user.id, Submission.assignment_id == assignment.id, Submission.revision == revision))


def find_submission(actor: User, submission_id: int) -> Submission | None:
    """A submission the actor may see, with its grade, version and learner; None otherwise (404)."""
    submission = db.session.scalar(
        select(Submission).where(Submission.id == submission_id)
        .options(joinedload(Submission.grade).joinedload(Grade.trainer), joinedload(Submission.version),
                 joinedload(Submission.user),
                 joinedload(Submission.assignment).joinedload(Assignment.module))
    )
    return submission if submission and can_view_submission(actor, submission) else None


# --- the graded rubric as the learner and the trainer see it -------------------------------------------------


@dataclass(frozen=True)
class GradedCriterion:
    criterion: RubricCriterion
    chosen: int | None  # index of the level the trainer chose

    @property
    def level(self) -> Level | None:
        return self.criterion.levels[self.chosen] if self.chosen is not None else None


def graded_rubric(rules: AssignmentRules, grade: Grade | None) -> tuple[GradedCriterion, ...]:
    levels = grade.levels if grade else {}
    return tuple(GradedCriterion(c, levels.get(c.id)) for c in rules.rubric.criteria)


# --- trainers: the queue and the grade ------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioResult:
    """A learner's best playthrough of the scenario of the submission's module."""

    playthrough: Playthrough
    facts: ScenarioFacts
    scenario: Scenario


@dataclass(frozen=True)
class QueueEntry:
    submission: Submission
    rules: AssignmentRules
    scenario_result: ScenarioResult | None


@dataclass(frozen=True)
class GradingQueue:
    entries: tuple[QueueEntry, ...]
    waiting: int  # all submissions waiting, the page shows the oldest QUEUE_PAGE of them
    scenarios: tuple[Scenario, ...]  # for links to each scenario's statistics


def grading_queue(course_slug: str | None = None) -> GradingQueue:
    """Submissions waiting for a grade, oldest first, each with the learner's best scenario result; of one course
    when `course_slug` is given."""
    course_modules = select(Module.id).join(Module.course).where(Course.slug == course_slug)
    waiting = select(Submission).join(Submission.assignment).where(
        Submission.status == SubmissionStatus.SUBMITTED,
        Assignment.module_id.in_(course_modules) if course_slug else true(),
    )
    submissions = list(db.session.scalars(
        waiting.order_by(Submission.submitted_at, Submission.id).limit(QUEUE_PAGE)
        .options(joinedload(Submission.user), joinedload(Submission.version),
                 contains_eager(Submission.assignment).joinedload(Assignment.module))
    ))
    count = db.session.scalar(select(func.count()).select_from(waiting.subquery()))
    results = best_scenario_results([(s.user_id, s.assignment.module_id) for s in submissions])
    entries = tuple(
        QueueEntry(s, assignment_of(s.version), results.get((s.user_id, s.assignment.module_id)))
        for s in submissions
    )
    scenarios = tuple(db.session.scalars(
        select(Scenario).where(Scenario.retired.is_(False),
                               Scenario.module_id.in_(course_modules) if course_slug else true())
        .options(selectinload(Scenario.module)).order_by(Scenario.module_id)
    ))
    return GradingQueue(entries, count or 0, scenarios)


def best_scenario_results(learners_in_modules: list[tuple[int, int]]) -> dict[tuple[int, int], ScenarioResult]:
    """For each (learner, module), the learner's best playthrough of the module's scenario: two queries."""
    if not learners_in_modules:
        return {}
    module_ids = {module_id for _, module_id in learners_in_modules}
    user_ids = {user_id for user_id, _ in learners_in_modules}
    scenarios = {s.id: s for s in db.session.scalars(
        select(Scenario).where(Scenario.module_id.in_(module_ids), Scenario.slug == SCENARIO_SLUG)
        .options(joinedload(Scenario.module).joinedload(Module.course)))}
    if not scenarios:
        return {}
    plays: dict[tuple[int, int], list[Playthrough]] = defaultdict(list)
    for play in db.session.scalars(
        select(Playthrough).options(selectinload(Playthrough.version))
        .where(Playthrough.user_id.in_(user_ids), Playthrough.scenario_id.in_(list(scenarios)),
               Playthrough.status == PlaythroughStatus.FINISHED)
    ):
        plays[(play.user_id, scenarios[play.scenario_id].module_id)].append(play)
    results = {}
    for key, mine in plays.items():
        best = best_of(mine)
        if best is not None:
            results[key] = ScenarioResult(best, facts_of(best.version), scenarios[best.scenario_id])
    return results


def grade_submission(submission: Submission, trainer: User, levels: Mapping[str, int], feedback: str,
                     decision: SubmissionStatus) -> Grade:
    """Grade a waiting revision against its rubric, audited; InvalidGrade if the levels do not fit the rubric,
    AlreadyGraded if another trainer was first."""
    if decision is SubmissionStatus.SUBMITTED:
        raise ValueError("a grade accepts a submission or returns it for revision")
    points, max_points = score_rubric(assignment_of(submission.version).rubric, levels)
    now = utcnow()
    # The status is checked in the write itself: of two trainers saving at once, one grades, one finds it done.
    claimed = db.session.execute(
        update(Submission).where(Submission.id == submission.id, Submission.status == SubmissionStatus.SUBMITTED)
        .values(status=decision, graded_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        raise AlreadyGraded
    grade = Grade(submission_id=submission.id, trainer_id=trainer.id, levels=dict(levels), points=points,
                  max_points=max_points, feedback=feedback, decision=decision, created_at=now)
    db.session.add(grade)
    record("assignment.graded", actor=trainer, subject=submission.user, object_type="submission",
           object_id=submission.id, revision=submission.revision, points=points, max_points=max_points,
           decision=decision.value, levels=dict(levels))
    db.session.flush()
    return grade


@dataclass(frozen=True)
class GradingContext:
    """What a trainer sees beside the work being graded."""

    earlier: tuple[Submission, ...]  # the learner's other revisions, newest first, with their grades
    scenario_result: ScenarioResult | None
    graded: tuple[GradedCriterion, ...]  # the grade already given, if any


def grading_context(submission: Submission) -> GradingContext:
    module_id = submission.assignment.module_id
    earlier = tuple(s for s in submissions_of(submission.user_id, submission.assignment_id) if s.id != submission.id)
    result = best_scenario_results([(submission.user_id, module_id)]).get((submission.user_id, module_id))
    return GradingContext(earlier, result, graded_rubric(assignment_of(submission.version), submission.grade))
