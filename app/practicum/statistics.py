"""What trainers see of a scenario: how many learners took each choice at each decision, and where
playthroughs ended. Pure: the playthroughs come in as plain records, the figures go out.

Choices are counted in learners (a learner who replayed and chose differently counts once for each choice), so
a choice's share says how many of the learners who reached a decision took it. Endings are counted in finished
playthroughs. Nodes and choices are matched by id, so playthroughs of earlier versions count wherever the ids
still exist.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.practicum.scenario import Choice, Node, NodeKind, Scenario, walk


@dataclass(frozen=True)
class PlayRecord:
    user_id: int
    scenario: Scenario  # the rules of the version this playthrough played
    path: Sequence[str]
    ending_id: str | None  # None while unfinished
    passed: bool | None


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class ChoiceCount:
    choice: Choice
    learners: int
    percent: int  # of the learners who decided at this node


@dataclass(frozen=True)
class DecisionCount:
    node: Node
    learners: int  # who decided here at least once
    choices: tuple[ChoiceCount, ...]


@dataclass(frozen=True)
class EndingCount:
    node: Node
    playthroughs: int
    percent: int  # of the finished playthroughs


@dataclass(frozen=True)
class ScenarioStatistics:
    learners: int
    playthroughs: int
    finished: int
    passed_learners: int  # learners with at least one passing playthrough
    decisions: tuple[DecisionCount, ...]
    endings: tuple[EndingCount, ...]


def scenario_statistics(scenario: Scenario, plays: Iterable[PlayRecord]) -> ScenarioStatistics:
    """Figures for `scenario` (the current version: its decisions and endings, in file order)."""
    plays = list(plays)
    chose: dict[tuple[str, str], set[int]] = defaultdict(set)
    decided: dict[str, set[int]] = defaultdict(set)
    for play in plays:
        for visit in walk(play.scenario, play.path):
            if visit.node.kind is NodeKind.DECISION:
                chose[(visit.node.id, visit.choice.id)].add(play.user_id)
                decided[visit.node.id].add(play.user_id)
    endings = Counter(play.ending_id for play in plays if play.ending_id is not None)
    finished = sum(endings.values())
    decisions = tuple(
        DecisionCount(node, len(decided[node.id]), tuple(
            ChoiceCount(choice, len(chose[(node.id, choice.id)]),
                        _percent(len(chose[(node.id, choice.id)]), len(decided[node.id])))
            for choice in node.choices
        ))
        for node in scenario.nodes.values() if node.kind is NodeKind.DECISION
    )
    return ScenarioStatistics(
        learners=len({play.user_id for play in plays}),
        playthroughs=len(plays),
        finished=finished,
        passed_learners=len({play.user_id for play in plays if play.passed}),
        decisions=decisions,
        endings=tuple(
            EndingCount(node, endings[node.id], _percent(endings[node.id], finished))
            for node in scenario.nodes.values() if node.kind is NodeKind.ENDING
        ),
    )
