"""The practicum's shared services: a module's scenario and assignment, their rules, and who sees what.

Playing lives in playthroughs.py, writing and grading in submissions.py; both start from what is here. Versions
never change, so the rules rebuilt from a version's stored definition are kept in memory by content hash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort
from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.orm import joinedload, undefer

from app.accounts.models import User
from app.accounts.roles import Role
from app.courseware.models import Module
from app.courseware.services import ModuleSection
from app.db import db
from app.practicum import scenario as rules
from app.practicum.assignment import Assignment as AssignmentRules
from app.practicum.assignment import parse_assignment
from app.practicum.courseware import ASSIGNMENT_SLUG, SCENARIO_SLUG
from app.practicum.models import (
    Assignment,
    AssignmentVersion,
    Playthrough,
    Scenario,
    ScenarioVersion,
    Submission,
    SubmissionStatus,
)

_CACHE_SIZE = 64
_Parsed = TypeVar("_Parsed")


@dataclass(frozen=True)
class ScenarioFacts:
    """A scenario version's rules and what follows from them, computed once per version."""

    scenario: rules.Scenario
    best_path: tuple[str, ...]
    best_total: int
    max_scores: dict[str, int]
    pass_mark: int
    best_choices: frozenset[tuple[str, str]]  # (node id, choice id) along the best path

    def is_best(self, node_id: str, choice_id: str) -> bool:
        return (node_id, choice_id) in self.best_choices

    def share(self, total: int) -> float:
        """A total as a share of the best path's, to compare playthroughs of different versions."""
        return total / self.best_total if self.best_total else 0.0


_facts: dict[str, ScenarioFacts] = {}
_assignments: dict[str, AssignmentRules] = {}


def _cached(cache: dict[str, _Parsed], key: str, build: Callable[[], _Parsed]) -> _Parsed:
    if key not in cache:
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        cache[key] = build()
    return cache[key]


def facts_of(version: ScenarioVersion) -> ScenarioFacts:
    """The rules of a stored scenario version (checked when it was loaded, so they parse)."""

    def build() -> ScenarioFacts:
        scenario, errors, _ = rules.parse_scenario(version.definition)
        if scenario is None:
            raise RuntimeError(f"scenario version {version.id} no longer parses: {errors[:3]}")
        best = rules.best_path(scenario)
        return ScenarioFacts(scenario, best, sum(rules.score(scenario, best).values()),
                             rules.max_scores(scenario), rules.pass_mark(scenario),
                             frozenset((visit.node.id, visit.choice.id) for visit in rules.walk(scenario, best)))

    return _cached(_facts, version.content_hash, build)


def assignment_of(version: AssignmentVersion) -> AssignmentRules:
    def build() -> AssignmentRules:
        assignment, errors, _ = parse_assignment(version.definition)
        if assignment is None:
            raise RuntimeError(f"assignment version {version.id} no longer parses: {errors[:3]}")
        return assignment

    return _cached(_assignments, version.content_hash, build)


def best_of(playthroughs: Iterable[Playthrough]) -> Playthrough | None:
    """The playthrough that counts: passed before failed, then the larger share of the best total; the earlier
    of equals."""
    finished = sorted((p for p in playthroughs if p.finished), key=lambda p: (p.finished_at, p.id))
    if not finished:
        return None
    return max(finished, key=lambda p: (bool(p.passed), facts_of(p.version).share(p.total or 0)))


# --- a module's practicum -----------------------------------------------------------------------------------


def _current(item_model, version_model, owner, module_id: int, slug: str, *options):
    statement = (
        select(item_model, version_model)
        .join(version_model, and_(owner == item_model.id, version_model.content_hash == item_model.current_hash))
        .where(item_model.module_id == module_id, item_model.slug == slug, item_model.retired.is_(False))
        .options(*options)
    )
    return db.session.execute(statement).first()


def module_scenario(module: Module) -> tuple[Scenario, ScenarioVersion]:
    """The module's live scenario and its current version; 404 if the module has none."""
    row = _current(Scenario, ScenarioVersion, ScenarioVersion.scenario_id, module.id, SCENARIO_SLUG)
    return (row[0], row[1]) if row else abort(404)


def module_assignment(module: Module) -> tuple[Assignment, AssignmentVersion]:
    """The module's live assignment and its current version; 404 if the module has none."""
    row = _current(Assignment, AssignmentVersion, AssignmentVersion.assignment_id, module.id, ASSIGNMENT_SLUG,
                   undefer(AssignmentVersion.prompt_html))
    return (row[0], row[1]) if row else abort(404)


def scenario_by_id(scenario_id: int) -> tuple[Scenario, ScenarioVersion]:
    """A live scenario with its module and course, and its current version; 404 if there is none."""
    statement = (
        select(Scenario, ScenarioVersion)
        .join(ScenarioVersion, and_(ScenarioVersion.scenario_id == Scenario.id,
                                    ScenarioVersion.content_hash == Scenario.current_hash))
        .where(Scenario.id == scenario_id, Scenario.retired.is_(False))
        .options(joinedload(Scenario.module).joinedload(Module.course))
    )
    row = db.session.execute(statement).first()
    return (row[0], row[1]) if row else abort(404)


# --- who sees what: a learner only their own records; trainers every learner's ------------------------------


def _sees_everyone(actor: User) -> bool:
    return actor.role.includes(Role.TRAINER)


def can_view_playthrough(actor: User, playthrough: Playthrough) -> bool:
    return playthrough.user_id == actor.id or _sees_everyone(actor)


def visible_playthroughs(actor: User) -> ColumnElement[bool]:
    return true() if _sees_everyone(actor) else Playthrough.user_id == actor.id


def can_view_submission(actor: User, submission: Submission) -> bool:
    return submission.user_id == actor.id or _sees_everyone(actor)


def visible_submissions(actor: User) -> ColumnElement[bool]:
    return true() if _sees_everyone(actor) else Submission.user_id == actor.id


def can_grade(actor: User, submission: Submission) -> bool:
    """Trainers grade other people's work, never their own."""
    return actor.role.includes(Role.TRAINER) and submission.user_id != actor.id


# --- the module page's practicum section --------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleParts:
    """A module's live scenario and assignment with their current versions (None where it has none)."""

    scenario: Scenario | None
    scenario_version: ScenarioVersion | None
    assignment: Assignment | None
    assignment_version: AssignmentVersion | None


def parts_of_modules(module_ids: list[int]) -> dict[int, ModuleParts]:
    """The practicum parts of each module, in one query."""
    if not module_ids:
        return {}
    statement = (
        select(Module.id, Scenario, ScenarioVersion, Assignment, AssignmentVersion).select_from(Module)
        .outerjoin(Scenario, and_(Scenario.module_id == Module.id, Scenario.slug == SCENARIO_SLUG,
                                  Scenario.retired.is_(False)))
        .outerjoin(ScenarioVersion, and_(ScenarioVersion.scenario_id == Scenario.id,
                                         ScenarioVersion.content_hash == Scenario.current_hash))
        .outerjoin(Assignment, and_(Assignment.module_id == Module.id, Assignment.slug == ASSIGNMENT_SLUG,
                                    Assignment.retired.is_(False)))
        .outerjoin(AssignmentVersion, and_(AssignmentVersion.assignment_id == Assignment.id,
                                           AssignmentVersion.content_hash == Assignment.current_hash))
        .where(Module.id.in_(module_ids))
    )
    return {row[0]: ModuleParts(*row[1:]) for row in db.session.execute(statement)}


@dataclass(frozen=True)
class ModulePracticum:
    """What the module page shows of the practicum, for one visitor."""

    scenario: Scenario | None
    scenario_facts: ScenarioFacts | None
    in_progress: Playthrough | None
    best: Playthrough | None
    assignment: Assignment | None
    assignment_rules: AssignmentRules | None
    latest_submission: Submission | None
    awaiting_grading: int | None  # for trainers: submissions in the grading queue


def module_section(module: Module, user: Any) -> ModuleSection | None:
    """The practicum's part of the module page, if the module has a scenario or an assignment."""
    parts = parts_of_modules([module.id]).get(module.id)
    if parts is None or (parts.scenario_version is None and parts.assignment_version is None):
        return None
    signed_in = user is not None and user.is_authenticated
    plays: list[Playthrough] = []
    if parts.scenario_version and signed_in:
        plays = list(db.session.scalars(
            select(Playthrough).where(Playthrough.user_id == user.id, Playthrough.scenario_id == parts.scenario.id)
            .options(joinedload(Playthrough.version)).order_by(Playthrough.id)
        ).unique())
    latest = None
    if parts.assignment_version and signed_in:
        latest = db.session.scalar(
            select(Submission).where(Submission.user_id == user.id, Submission.assignment_id == parts.assignment.id)
            .order_by(Submission.revision.desc()).limit(1)
        )
    queue = None
    if signed_in and user.role.includes(Role.TRAINER):
        queue = db.session.scalar(select(func.count(Submission.id)).where(
            Submission.status == SubmissionStatus.SUBMITTED))
    data = ModulePracticum(
        scenario=parts.scenario if parts.scenario_version else None,
        scenario_facts=facts_of(parts.scenario_version) if parts.scenario_version else None,
        in_progress=next((p for p in plays if not p.finished), None),
        best=best_of(plays),
        assignment=parts.assignment if parts.assignment_version else None,
        assignment_rules=assignment_of(parts.assignment_version) if parts.assignment_version else None,
        latest_submission=latest,
        awaiting_grading=queue,
    )
    return ModuleSection("practicum/module_section.html", data)
