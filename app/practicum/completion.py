"""The practicum as course items for progress and completion: a module's scenario (done when a playthrough passes)
and its assignment (done when a trainer accepts it). A fixed number of queries, whatever the number of learners.
"""

from __future__ import annotations

from collections import defaultdict

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.courseware.models import Course
from app.practicum.courseware import ASSIGNMENT_SLUG, SCENARIO_SLUG
from app.practicum.models import Assignment, Playthrough, Scenario, Submission, SubmissionStatus
from app.practicum.services import assignment_of, best_of, facts_of, parts_of_modules
from app.progress.completion import Evidence, Item, ItemKind, ItemStatus, State

KINDS = frozenset({ItemKind.SCENARIO, ItemKind.ASSIGNMENT})
SUBMISSION_STATES = {SubmissionStatus.SUBMITTED: State.AWAITING, SubmissionStatus.RETURNED: State.RETURNED,
                     SubmissionStatus.ACCEPTED: State.DONE}


def items(session, course: Course) -> list[Item]:
    """Each module's scenario, then its assignment: one query."""
    parts = parts_of_modules([m.id for m in course.modules])
    found = []
    for module in course.modules:
        mine = parts.get(module.id)
        if mine is not None and mine.scenario_version is not None:
            found.append(Item(
                ItemKind.SCENARIO, module.slug, SCENARIO_SLUG, facts_of(mine.scenario_version).scenario.title, 1,
                url_for("practicum.scenario", course_slug=course.slug, module_slug=module.slug)))
        if mine is not None and mine.assignment_version is not None:
            found.append(Item(
                ItemKind.ASSIGNMENT, module.slug, ASSIGNMENT_SLUG, assignment_of(mine.assignment_version).title, 2,
                url_for("practicum.assignment", course_slug=course.slug, module_slug=module.slug)))
    return found


def statuses(session, course: Course, course_items: list[Item], user_ids: list[int]) -> dict:
    """Each learner's state on each item: one query for the playthroughs, one for the submissions."""
    if not course_items or not user_ids:
        return {}
    slugs = {m.id: m.slug for m in course.modules}
    wanted = {(i.kind, i.module_slug): i for i in course_items}
    result = {}
    if any(kind is ItemKind.SCENARIO for kind, _ in wanted):
        result.update(_scenario_statuses(session, slugs, wanted, user_ids))
    if any(kind is ItemKind.ASSIGNMENT for kind, _ in wanted):
        result.update(_assignment_statuses(session, slugs, wanted, user_ids))
    return result


def _scenario_statuses(session, slugs: dict[int, str], wanted: dict, user_ids: list[int]) -> dict:
    plays: dict[tuple[int, str], list[Playthrough]] = defaultdict(list)
    items_by_key: dict[str, Item] = {}
    for play, module_id in session.execute(
        select(Playthrough, Scenario.module_id).join(Scenario, Playthrough.scenario_id == Scenario.id)
        .options(selectinload(Playthrough.version))
        .where(Scenario.module_id.in_(list(slugs)), Scenario.slug == SCENARIO_SLUG, Scenario.retired.is_(False),
               Playthrough.user_id.in_(user_ids))
    ):
        item = wanted.get((ItemKind.SCENARIO, slugs[module_id]))
        if item is not None:
            items_by_key[item.key] = item
            plays[(play.user_id, item.key)].append(play)
    result = {}
    for (user_id, key), mine in plays.items():
        item = items_by_key[key]
        best = best_of(mine)
        if best is None:
            latest = max(mine, key=lambda p: p.updated_at)
            status = ItemStatus(item, State.STARTED, Evidence("playthrough", latest.id, latest.updated_at))
        else:
            percent = round(100 * facts_of(best.version).share(best.total or 0), 1)
            evidence = Evidence("playthrough", best.id, best.finished_at, percent, bool(best.passed), True)
            status = ItemStatus(item, State.DONE if best.passed else State.STARTED, evidence)
        result[(user_id, key)] = status
    return result


def _assignment_statuses(session, slugs: dict[int, str], wanted: dict, user_ids: list[int]) -> dict:
    latest: dict[tuple[int, str], Submission] = {}
    items_by_key: dict[str, Item] = {}
    for submission, module_id in session.execute(
        select(Submission, Assignment.module_id).join(Assignment, Submission.assignment_id == Assignment.id)
        .options(joinedload(Submission.grade))
        .where(Assignment.module_id.in_(list(slugs)), Assignment.slug == ASSIGNMENT_SLUG,
               Assignment.retired.is_(False), Submission.user_id.in_(user_ids))
    ):
        item = wanted.get((ItemKind.ASSIGNMENT, slugs[module_id]))
        if item is None:
            continue
        items_by_key[item.key] = item
        key = (submission.user_id, item.key)
        if key not in latest or latest[key].revision < submission.revision:
            latest[key] = submission
    result = {}
    for (user_id, item_key), submission in latest.items():
        item = items_by_key[item_key]
        grade = submission.grade
        score = round(100 * grade.points / grade.max_points, 1) if grade and grade.max_points else None
        evidence = Evidence("submission", submission.id, submission.graded_at or submission.submitted_at, score,
                            submission.status is SubmissionStatus.ACCEPTED, True)
        result[(user_id, item.key)] = ItemStatus(item, SUBMISSION_STATES[submission.status], evidence)
    return result
