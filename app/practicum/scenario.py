"""The practicum's branching newsroom scenario: what a scenario is, and the rules of playing one.

Everything here is pure. A scenario is read from the plain data of scenario.yaml into frozen dataclasses
(scenario_file.py does the reading and checking), and a playthrough is a *path*: the ids of the choices taken
since the start, replayed against the scenario. The web app stores the path; these functions decide what it
means, so a forged or replayed request can never reach a node the scenario does not offer there.

A valid scenario is a graph without loops in which every node is reachable from the start and every path
reaches an ending. Loops are refused, not only loops without an exit, because the newsroom clock only moves
forward, and because then every path ends within as many steps as there are nodes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.practicum.authoring import Problem, Texts

MATERIAL_KINDS = ("wire", "social", "authority", "editor", "message")
MIN_CHOICES, MAX_CHOICES = 2, 4
# The one way on from a situation node; the learner presses "Continue" and the path records this id.
CONTINUE = "continue"


class NodeKind(StrEnum):
    SITUATION = "situation"  # text and material, then a single way on (`next`)
    DECISION = "decision"  # two to four choices
    ENDING = "ending"  # a debrief; the playthrough is over


@dataclass(frozen=True)
class Criterion:
    id: str
    title: Texts


@dataclass(frozen=True)
class Image:
    src: str  # relative to the module folder
    alt: Texts


@dataclass(frozen=True)
class Material:
    """A simulated document shown in the node: a wire alert, a social post, an official statement..."""

    kind: str
    sender: Texts  # `from` in the file
    text: Texts


@dataclass(frozen=True)
class Choice:
    id: str
    text: Texts
    feedback: Texts  # shown right after the choice, and as the reason on the best path
    effects: Mapping[str, int]  # criterion id -> points added (or taken away)
    next: str


@dataclass(frozen=True)
class Node:
    id: str
    kind: NodeKind
    title: Texts
    text: Texts | None = None  # Markdown; optional on endings
    clock: Texts | None = None  # simulated time, e.g. "14:05 — 20 minutes after the first reports"
    image: Image | None = None
    material: Material | None = None
    choices: tuple[Choice, ...] = ()  # decisions only
    next: str | None = None  # situations only
    debrief: Texts | None = None  # endings only


@dataclass(frozen=True)
class Scenario:
    """A checked scenario; build it with parse_scenario(), which guarantees the graph rules play relies on."""

    title: Texts
    start: str
    pass_threshold: int  # percent of the best path's total score
    criteria: tuple[Criterion, ...]
    nodes: Mapping[str, Node]  # in file order


def parse_scenario(data: Any) -> tuple[Scenario | None, list[Problem], list[Problem]]:
    """Read scenario.yaml's data: a Scenario (None on any error), then every error, then every warning."""
    # Imported here because the reader builds this module's classes; it lives apart to keep each file short.
    from app.practicum.scenario_file import read_scenario

    return read_scenario(data)


class ChoiceNotOffered(ValueError):
    """A choice the current node does not offer: a forged or replayed request, or a path from elsewhere."""

    def __init__(self, node_id: str, choice_id: str) -> None:
        super().__init__(f"node {node_id} does not offer choice {choice_id!r}")
        self.node_id = node_id
        self.choice_id = choice_id


@dataclass(frozen=True)
class Visit:
    node: Node
    choice: Choice


@dataclass(frozen=True)
class Step:
    """The new path, the choice just taken (its feedback is shown next) and the node it led to."""

    path: tuple[str, ...]
    choice: Choice
    node: Node

    @property
    def finished(self) -> bool:
        return self.node.kind is NodeKind.ENDING


@dataclass(frozen=True)
class Difference:
    """A node where the learner chose otherwise than the best path; the best choice's feedback says why."""

    node: Node
    taken: Choice
    best: Choice

    @property
    def reason(self) -> Texts:
        return self.best.feedback


def offered_choices(node: Node) -> tuple[Choice, ...]:
    """What a learner may do at a node: its choices, a situation's single Continue, nothing at an ending."""
    if node.kind is NodeKind.SITUATION and node.next:
        return (Choice(CONTINUE, {}, {}, {}, node.next),)
    return node.choices


def walk(scenario: Scenario, path: Sequence[str]) -> tuple[Visit, ...]:
    """Each node of a path with the choice taken there; ChoiceNotOffered if the scenario has no such path."""
    return _replay(scenario, path)[0]


def current_node(scenario: Scenario, path: Sequence[str]) -> Node:
    """The node a path has reached; ChoiceNotOffered if the path is not one of the scenario's."""
    return _replay(scenario, path)[1]


def advance(scenario: Scenario, path: Sequence[str], choice_id: str) -> Step:
    """Take a choice at the path's current node, refusing (ChoiceNotOffered) any the node does not offer."""
    choice = _offered(current_node(scenario, path), choice_id)
    return Step((*path, choice_id), choice, scenario.nodes[choice.next])


def is_finished(scenario: Scenario, path: Sequence[str]) -> bool:
    return current_node(scenario, path).kind is NodeKind.ENDING


def score(scenario: Scenario, path: Sequence[str]) -> dict[str, int]:
    """Points per criterion along a path (finished or not); every criterion is present, from 0."""
    scores = {criterion.id: 0 for criterion in scenario.criteria}
    for visit in walk(scenario, path):
        for criterion_id, points in visit.choice.effects.items():
            scores[criterion_id] += points
    return scores


def best_path(scenario: Scenario) -> tuple[str, ...]:
    """The path to an ending with the highest total score; on a tie, the choice written first wins."""
    return _best_routes(scenario, lambda choice: sum(choice.effects.values()))[scenario.start][1]


def max_scores(scenario: Scenario) -> dict[str, int]:
    """The most each criterion can score on any path to an ending, each counted on its own."""
    maxima: dict[str, int] = {}
    for criterion in scenario.criteria:
        routes = _best_routes(scenario, lambda choice, cid=criterion.id: choice.effects.get(cid, 0))
        maxima[criterion.id] = routes[scenario.start][0]
    return maxima


def pass_mark(scenario: Scenario) -> int:
    """The lowest total score that passes: `pass_threshold` percent of the best path's total, rounded up."""
    best_total = sum(score(scenario, best_path(scenario)).values())
    return -(-scenario.pass_threshold * best_total // 100)


def passed(scenario: Scenario, scores: Mapping[str, int]) -> bool:
    """Whether a finished playthrough's scores (summed over the criteria) reach the pass mark."""
    return sum(scores.values()) >= pass_mark(scenario)


def compare_paths(scenario: Scenario, learner_path: Sequence[str], best: Sequence[str]) -> list[Difference]:
    """Each node both paths pass where the learner chose otherwise, in the learner's order.

    Nodes only the learner's path visits are consequences of an earlier difference, not points of their own.
    """
    best_choice = {visit.node.id: visit.choice for visit in walk(scenario, best)}
    return [
        Difference(visit.node, visit.choice, best_choice[visit.node.id])
        for visit in walk(scenario, learner_path)
        if visit.node.id in best_choice and best_choice[visit.node.id].id != visit.choice.id
    ]


def _offered(node: Node, choice_id: str) -> Choice:
    for choice in offered_choices(node):
        if choice.id == choice_id:
            return choice
    raise ChoiceNotOffered(node.id, choice_id)


def _replay(scenario: Scenario, path: Sequence[str]) -> tuple[tuple[Visit, ...], Node]:
    node = scenario.nodes[scenario.start]
    visits: list[Visit] = []
    for choice_id in path:
        choice = _offered(node, choice_id)
        visits.append(Visit(node, choice))
        node = scenario.nodes[choice.next]
    return tuple(visits), node


def _best_routes(scenario: Scenario, gain: Callable[[Choice], int]) -> dict[str, tuple[int, tuple[str, ...]]]:
    """For each node reachable from the start, the greatest gain to an ending and the path that earns it."""
    best: dict[str, tuple[int, tuple[str, ...]]] = {}
    for node in _after_their_successors(scenario):
        routes = [(gain(c) + best[c.next][0], (c.id, *best[c.next][1])) for c in offered_choices(node)]
        # max() keeps the first of equal routes, so ties go to the choice written first.
        best[node.id] = max(routes, key=lambda route: route[0]) if routes else (0, ())
    return best


def _after_their_successors(scenario: Scenario) -> list[Node]:
    """Nodes reachable from the start, each after every node it leads to (the graph has no loops)."""
    order: list[Node] = []
    seen = {scenario.start}
    stack = [(scenario.nodes[scenario.start], iter(offered_choices(scenario.nodes[scenario.start])))]
    while stack:
        node, choices = stack[-1]
        choice = next(choices, None)
        if choice is None:
            order.append(node)
            stack.pop()
        elif choice.next not in seen:
            seen.add(choice.next)
            following = scenario.nodes[choice.next]
            stack.append((following, iter(offered_choices(following))))
    return order
