"""Playing a scenario: starting, taking a choice, resuming, and the debrief at the end.

A playthrough stores only its path; scenario.py decides what the path means. A choice is recorded only if the
page it was made on showed the playthrough's current step, and the write itself checks that step again, so a
replayed, duplicated or forged request changes nothing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.db import db, utcnow
from app.practicum import scenario as rules
from app.practicum.models import IN_PROGRESS_ONLY, Playthrough, PlaythroughStatus, Scenario, ScenarioVersion
from app.practicum.services import ScenarioFacts, can_view_playthrough, facts_of
from app.practicum.statistics import PlayRecord, ScenarioStatistics, scenario_statistics
from app.upsert import insert_ignoring_conflict


class ChoiceOutcome(enum.StrEnum):
    TAKEN = "taken"
    FINISHED = "finished"  # the choice led to an ending
    OUT_OF_DATE = "out_of_date"  # sent from a page of an earlier step (a replay, a double click, another tab)
    NOT_OFFERED = "not_offered"  # the current node has no such choice: refused


def in_progress(user_id: int, scenario_id: int) -> Playthrough | None:
    return db.session.scalar(
        select(Playthrough).options(joinedload(Playthrough.version).undefer(ScenarioVersion.html))
        .where(Playthrough.user_id == user_id, Playthrough.scenario_id == scenario_id,
               Playthrough.status == PlaythroughStatus.IN_PROGRESS)
    )


def playthroughs_of(user_id: int, scenario_id: int) -> list[Playthrough]:
    """A learner's playthroughs of a scenario, oldest first, with their versions."""
    return list(db.session.scalars(
        select(Playthrough).options(selectinload(Playthrough.version))
        .where(Playthrough.user_id == user_id, Playthrough.scenario_id == scenario_id).order_by(Playthrough.id)
    ))


def find_playthrough(actor: User, scenario_id: int, playthrough_id: int) -> Playthrough | None:
    """A playthrough of this scenario the actor may see; None otherwise (the caller answers 404)."""
    playthrough = db.session.scalar(
        select(Playthrough).options(joinedload(Playthrough.version).undefer(ScenarioVersion.html),
                                    joinedload(Playthrough.user))
        .where(Playthrough.id == playthrough_id, Playthrough.scenario_id == scenario_id)
    )
    return playthrough if playthrough and can_view_playthrough(actor, playthrough) else None


def start(user_id: int, scenario: Scenario, version: ScenarioVersion) -> Playthrough:
    """A new playthrough of the current version, or the one already in progress (two tabs get one)."""
    now = utcnow()
    insert_ignoring_conflict(
        Playthrough,
        {"user_id": user_id, "scenario_id": scenario.id, "version_id": version.id, "path": [], "steps": 0,
         "status": PlaythroughStatus.IN_PROGRESS, "scores": {}, "started_at": now, "updated_at": now},
        ["user_id", "scenario_id"],
        where=IN_PROGRESS_ONLY,
    )
    return in_progress(user_id, scenario.id)


def take_choice(playthrough: Playthrough, step: int, choice_id: str) -> ChoiceOutcome:
    """Record a choice made on the page of `step`; finish the playthrough when the choice leads to an ending."""
    if playthrough.finished or step != playthrough.steps:
        return ChoiceOutcome.OUT_OF_DATE
    facts = facts_of(playthrough.version)
    try:
        taken = rules.advance(facts.scenario, playthrough.path, choice_id)
    except rules.ChoiceNotOffered:
        return ChoiceOutcome.NOT_OFFERED
    now = utcnow()
    values: dict = {"path": list(taken.path), "steps": step + 1, "updated_at": now}
    if taken.finished:
        scores = rules.score(facts.scenario, taken.path)
        values.update(status=PlaythroughStatus.FINISHED, scores=scores, total=sum(scores.values()),
                      passed=rules.passed(facts.scenario, scores), ending_id=taken.node.id, finished_at=now)
    # The step is checked again in the write: of two requests for the same step, one records, one finds none.
    recorded = db.session.execute(
        update(Playthrough)
        .where(Playthrough.id == playthrough.id, Playthrough.steps == step,
               Playthrough.status == PlaythroughStatus.IN_PROGRESS)
        .values(**values).execution_options(synchronize_session=False)
    ).rowcount
    if not recorded:
        return ChoiceOutcome.OUT_OF_DATE
    return ChoiceOutcome.FINISHED if taken.finished else ChoiceOutcome.TAKEN


def statistics_of(scenario: Scenario, version: ScenarioVersion) -> ScenarioStatistics:
    """The choices and endings of every learner's playthroughs of a scenario, read against `version`."""
    plays = db.session.scalars(
        select(Playthrough).options(selectinload(Playthrough.version)).where(Playthrough.scenario_id == scenario.id)
    )
    records = (PlayRecord(p.user_id, facts_of(p.version).scenario, p.path, p.ending_id, p.passed) for p in plays)
    return scenario_statistics(facts_of(version).scenario, records)


# --- what the pages show -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlayPage:
    """One node of a playthrough, with the feedback on the choice that led there."""

    playthrough: Playthrough
    facts: ScenarioFacts
    node: rules.Node
    html: dict
    feedback_on: rules.Choice | None  # the learner's last decision, whose feedback comes first
    choices: tuple[rules.Choice, ...]
    image_sha: str | None
    decisions_taken: int

    @property
    def is_decision(self) -> bool:
        return self.node.kind is rules.NodeKind.DECISION


def play_page(playthrough: Playthrough) -> PlayPage:
    facts = facts_of(playthrough.version)
    visits = rules.walk(facts.scenario, playthrough.path)
    node = visits[-1].choice.next if visits else facts.scenario.start
    current = facts.scenario.nodes[node]
    last = visits[-1].choice if visits and visits[-1].choice.id != rules.CONTINUE else None
    image = playthrough.version.images.get(current.image.src) if current.image else None
    return PlayPage(playthrough, facts, current, playthrough.version.html.get(current.id, {}), last,
                    rules.offered_choices(current), image,
                    sum(1 for v in visits if v.node.kind is rules.NodeKind.DECISION))


@dataclass(frozen=True)
class CriterionResult:
    criterion: rules.Criterion
    points: int
    most: int

    @property
    def percent(self) -> int:
        """For the bar: negative totals show an empty bar, the number says the rest."""
        return max(0, min(100, round(100 * self.points / self.most))) if self.most > 0 else 0


@dataclass(frozen=True)
class Debrief:
    """The end of a playthrough: the ending, the scores, and the learner's path beside the best one."""

    playthrough: Playthrough
    facts: ScenarioFacts
    ending: rules.Node
    html: dict
    criteria: tuple[CriterionResult, ...]
    your_path: tuple[rules.Visit, ...]
    best_path: tuple[rules.Visit, ...]
    best_ending: rules.Node
    differences: tuple[rules.Difference, ...]
    counts: bool  # this is the learner's best playthrough

    @property
    def best_path_taken(self) -> bool:
        return not self.differences and self.ending.id == self.best_ending.id


def debrief(playthrough: Playthrough, best: Playthrough | None) -> Debrief:
    facts = facts_of(playthrough.version)
    scenario = facts.scenario
    ending = rules.current_node(scenario, playthrough.path)
    criteria = tuple(
        CriterionResult(c, playthrough.scores.get(c.id, 0), facts.max_scores.get(c.id, 0)) for c in scenario.criteria
    )
    return Debrief(
        playthrough, facts, ending, playthrough.version.html.get(ending.id, {}), criteria,
        _decisions(rules.walk(scenario, playthrough.path)), _decisions(rules.walk(scenario, facts.best_path)),
        rules.current_node(scenario, facts.best_path),
        tuple(rules.compare_paths(scenario, playthrough.path, facts.best_path)),
        best is not None and best.id == playthrough.id,
    )


def _decisions(visits: tuple[rules.Visit, ...]) -> tuple[rules.Visit, ...]:
    """The steps a learner chose at; a situation's Continue is not a decision."""
    return tuple(visit for visit in visits if visit.choice.id != rules.CONTINUE)
