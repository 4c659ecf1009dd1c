"""Reading scenario.yaml and checking it: what `courseware check` refuses, and why, named by node and choice.

Authors are not programmers, so every mistake is reported at once with its place ("node n07, choice b"):
wrong or unknown keys, missing texts, duplicate ids, and the graph's shape. A scenario is playable only if its
start exists, every way on leads to a node, every node can be reached, and every path reaches an ending
without going round a loop; scenario.py's rules of play rely on all of that.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from app.practicum.authoring import FileChecker, Problem, place
from app.practicum.scenario import (
    MATERIAL_KINDS,
    MAX_CHOICES,
    MIN_CHOICES,
    Choice,
    Criterion,
    Image,
    Material,
    Node,
    NodeKind,
    Scenario,
    best_path,
    score,
)

SCENARIO_KEYS = ("title", "start", "pass_threshold", "criteria", "nodes")
CRITERION_KEYS = ("id", "title")
NODE_KEYS = ("id", "clock", "title", "text", "image", "material", "choices", "next", "ending", "debrief")
CHOICE_KEYS = ("id", "text", "feedback", "effects", "next")

_NEEDS_TEXT = (NodeKind.SITUATION, NodeKind.DECISION)


def read_scenario(data: Any) -> tuple[Scenario | None, list[Problem], list[Problem]]:
    """See scenario.parse_scenario, the name the rest of the app uses."""
    check = FileChecker()
    top = check.keys(data, "scenario", SCENARIO_KEYS)
    if top is None:
        return None, check.errors, check.warnings
    title = check.texts(top, "title", "scenario")
    start = check.slug(top, "start", "scenario")
    threshold = check.integer(top, "pass_threshold", "scenario", minimum=0, maximum=100)
    criteria = _parse_criteria(check.items(top, "criteria", "scenario"), check)
    # Without usable criteria, effects are not checked against them: every one would be "unknown".
    known = frozenset(c.id for c in criteria) if criteria else None
    nodes = [
        node
        for position, raw in enumerate(check.items(top, "nodes", "scenario") or [], 1)
        if (node := _parse_node(raw, position, known, check)) is not None
    ]
    _check_graph(nodes, start, check)
    if check.errors or start is None or threshold is None or criteria is None:
        return None, check.errors, check.warnings
    scenario = Scenario(title, start, threshold, criteria, {node.id: node for node in nodes})
    _check_scoring(scenario, check)
    return (None if check.errors else scenario), check.errors, check.warnings


def _parse_criteria(raw_items: list[Any] | None, check: FileChecker) -> tuple[Criterion, ...] | None:
    """The criteria, or None when the list itself is unusable (so effects are not checked against it)."""
    if raw_items is None:
        return None
    criteria: dict[str, Criterion] = {}
    for position, raw in enumerate(raw_items, 1):
        where = place("criterion", raw, position)
        item = check.keys(raw, where, CRITERION_KEYS)
        criterion_id = check.slug(item, "id", where) if item is not None else None
        if item is None or criterion_id is None:
            continue
        if criterion_id in criteria:
            check.error(where, "another criterion has the same id; criterion ids must be unique")
        criteria.setdefault(criterion_id, Criterion(criterion_id, check.texts(item, "title", where)))
    return tuple(criteria.values())


def _parse_node(raw: Any, position: int, criteria: frozenset[str] | None, check: FileChecker) -> Node | None:
    """One node, with placeholders for wrong fields so the graph is still checked; None without an id."""
    where = place("node", raw, position)
    item = check.keys(raw, where, NODE_KEYS)
    node_id = check.slug(item, "id", where) if item is not None else None
    if item is None or node_id is None:
        return None
    kind = _node_kind(item, where, check)
    title = check.texts(item, "title", where)
    text = check.texts(item, "text", where) if kind in _NEEDS_TEXT else check.optional_texts(item, "text", where)
    image = _parse_image(item["image"], f"{where}, image", check) if "image" in item else None
    material = _parse_material(item["material"], f"{where}, material", check) if "material" in item else None
    clock = check.optional_texts(item, "clock", where)
    # A node that leads nowhere was reported; as an "ending" it does not get its predecessors blamed too.
    node = Node(node_id, kind or NodeKind.ENDING, title, text, clock, image, material)
    if kind is NodeKind.DECISION:
        return _with_choices(node, item["choices"], where, criteria, check)
    if kind is NodeKind.SITUATION:
        return replace(node, next=check.slug(item, "next", where) or "")
    if kind is NodeKind.ENDING:
        return replace(node, debrief=check.texts(item, "debrief", where))
    return node


def _node_kind(item: Mapping[str, Any], where: str, check: FileChecker) -> NodeKind | None:
    """With `choices` a decision; with `ending: true` or a `debrief` an ending; with `next` a situation."""
    if "ending" in item and not isinstance(item["ending"], bool):
        check.error(where, "`ending` must be `true` or `false`")
    is_ending = item.get("ending") is True or "debrief" in item
    if "choices" in item:
        if is_ending:
            check.error(where, "a node with `choices` cannot also be an ending (`ending`, `debrief`)")
        if "next" in item:
            check.error(where, "a decision has no `next` of its own: each choice has its `next`")
        return NodeKind.DECISION
    if is_ending:
        if "next" in item:
            check.error(where, "an ending has no `next`: the playthrough stops there")
        return NodeKind.ENDING
    if "next" in item:
        return NodeKind.SITUATION
    check.error(where, "the node leads nowhere: give it `choices`, a `next` node, or `ending: true` and a `debrief`")
    return None


def _with_choices(node: Node, raw: Any, where: str, criteria: frozenset[str] | None, check: FileChecker) -> Node:
    if not isinstance(raw, list) or not MIN_CHOICES <= len(raw) <= MAX_CHOICES:
        count = f"found {len(raw)}" if isinstance(raw, list) else "`choices` must be a list"
        check.error(
            where,
            f"a decision needs {MIN_CHOICES} to {MAX_CHOICES} choices, {count} "
            "(for a single way on, use `next` instead of `choices`)",
        )
    choices: list[Choice] = []
    for position, raw_choice in enumerate(raw if isinstance(raw, list) else [], 1):
        choice = _parse_choice(raw_choice, position, where, criteria, check)
        if choice is None:
            continue
        if any(choice.id == earlier.id for earlier in choices):
            check.error(f"{where}, choice {choice.id}", "another choice of this node has the same id")
        choices.append(choice)
    return replace(node, choices=tuple(choices))


def _parse_choice(
    raw: Any, position: int, node_where: str, criteria: frozenset[str] | None, check: FileChecker
) -> Choice | None:
    where = f"{node_where}, {place('choice', raw, position)}"
    item = check.keys(raw, where, CHOICE_KEYS)
    if item is None:
        return None
    choice_id = check.slug(item, "id", where)
    return Choice(
        id=choice_id or f"#{position}",
        text=check.texts(item, "text", where),
        feedback=check.texts(item, "feedback", where),
        effects=_parse_effects(item, where, criteria, check),
        next=check.slug(item, "next", where) or "",  # "" : already reported, not a node to look for
    )


def _parse_effects(
    item: Mapping[str, Any], where: str, criteria: frozenset[str] | None, check: FileChecker
) -> dict[str, int]:
    raw = item.get("effects")
    if not isinstance(raw, Mapping) or not raw:
        check.error(
            where,
            "`effects` must give at least one criterion a whole number, like "
            "`{accuracy: 1, harm: -2}` (write 0 for no change)",
        )
        return {}
    effects: dict[str, int] = {}
    for criterion_id in raw:
        if criteria is not None and criterion_id not in criteria:
            check.error(
                where,
                f"`effects` scores an unknown criterion `{criterion_id}`; "
                f"the criteria are: {', '.join(sorted(criteria))}",
            )
        elif (value := check.integer(raw, criterion_id, f"{where}, effects")) is not None:
            effects[criterion_id] = value
    return effects


def _parse_image(raw: Any, where: str, check: FileChecker) -> Image | None:
    item = check.keys(raw, where, ("src", "alt"))
    if item is None:
        return None
    src = item.get("src")
    if not isinstance(src, str) or not _is_inside_module(src):
        check.error(where, "`src` must be a file path inside the module folder, like `images/square.svg`")
    return Image(src if isinstance(src, str) else "", check.texts(item, "alt", where))


def _is_inside_module(path: str) -> bool:
    parts = path.replace("\\", "/").split("/")
    return bool(path.strip()) and not path.startswith("/") and ":" not in path and ".." not in parts


def _parse_material(raw: Any, where: str, check: FileChecker) -> Material | None:
    item = check.keys(raw, where, ("kind", "from", "text"))
    if item is None:
        return None
    if item.get("kind") not in MATERIAL_KINDS:
        check.error(where, f"`kind` must be one of {', '.join(MATERIAL_KINDS)}; found `{item.get('kind')}`")
    return Material(str(item.get("kind")), check.texts(item, "from", where), check.texts(item, "text", where))


def _ways_on(node: Node) -> list[tuple[str, str]]:
    """(where, next node id) for each way out of a node, as an author would look for it in the file."""
    if node.kind is NodeKind.SITUATION:
        return [(f"node {node.id}", node.next or "")]
    return [(f"node {node.id}, choice {choice.id}", choice.next) for choice in node.choices]


def _check_graph(nodes: list[Node], start: str | None, check: FileChecker) -> None:
    by_id: dict[str, Node] = {}
    for node in nodes:
        if node.id in by_id:
            check.error(f"node {node.id}", "another node has the same id; node ids must be unique")
        by_id.setdefault(node.id, node)
    endings = {node.id for node in by_id.values() if node.kind is NodeKind.ENDING}
    _check_shape({node.id: _ways_on(node) for node in by_id.values()}, endings, start, check)


def _check_scoring(scenario: Scenario, check: FileChecker) -> None:
    """A pass mark needs a best total above zero; a criterion no choice scores is shown as 0 of 0."""
    best_total = sum(score(scenario, best_path(scenario)).values())
    if best_total <= 0:
        check.error(
            "scenario",
            f"the best path scores {best_total} in total, so `pass_threshold` (a percentage "
            "of it) means nothing; give the better choices positive effects",
        )
    for criterion in scenario.criteria:
        if not any(c.effects.get(criterion.id) for node in scenario.nodes.values() for c in node.choices):
            check.warn(f"criterion {criterion.id}", "no choice changes this criterion's score")


# node id -> its ways on, each (where it is written, the next node's id); "" for a next already reported.
WaysOn = Mapping[str, list[tuple[str, str]]]


def _check_shape(ways_on: WaysOn, endings: set[str], start: str | None, check: FileChecker) -> None:
    """A missing start, ways on to nowhere, unreachable nodes, nodes with no ending ahead, and loops."""
    if start is not None and start not in ways_on:
        check.error("scenario", f"`start: {start}` names no node")
    for ways in ways_on.values():
        for where, target in ways:
            if target and target not in ways_on:
                check.error(where, f"`next: {target}` names no node, so this way on leads nowhere")
    following = {node_id: [t for _, t in ways if t in ways_on] for node_id, ways in ways_on.items()}
    if start in ways_on:
        reached = _reachable([start], following)
        for node_id in ways_on:
            if node_id not in reached:
                check.error(f"node {node_id}", f"no path from the start (`{start}`) leads to this node")
    # A node with a broken way on was reported above; counting it as able to end keeps that one
    # mistake from being reported again at every node before it.
    exits = [n for n in ways_on if n in endings or len(following[n]) < len(ways_on[n])]
    can_end = _reachable(exits, _reversed(following))
    for node_id in ways_on:
        if node_id not in can_end:
            check.error(
                f"node {node_id}",
                "no ending can be reached from here: every way on leads into a loop with no way out",
            )
    for where, target, loop in _loops(ways_on):
        check.error(
            where,
            f"leads back to node {target}, making a loop ({' → '.join(loop)}); every path must move on to an ending",
        )


def _reachable(roots: Iterable[str], edges: Mapping[str, list[str]]) -> set[str]:
    """Every node that can be reached from the roots, the roots included."""
    seen = set(roots)
    stack = list(seen)
    while stack:
        for target in edges[stack.pop()]:
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _reversed(edges: Mapping[str, list[str]]) -> dict[str, list[str]]:
    preceding: dict[str, list[str]] = {node_id: [] for node_id in edges}
    for node_id, targets in edges.items():
        for target in targets:
            preceding[target].append(node_id)
    return preceding


def _loops(ways_on: WaysOn) -> Iterator[tuple[str, str, list[str]]]:
    """Each way on that returns to a node of the walk that led to it: (where, that node, the loop's nodes)."""
    finished: set[str] = set()
    for root in ways_on:
        if root in finished:
            continue
        walk, pending = [root], [iter(ways_on[root])]
        while pending:
            where, target = next(pending[-1], ("", ""))
            if not where:
                finished.add(walk.pop())
                pending.pop()
            elif target in walk:
                yield where, target, [*walk[walk.index(target) :], target]
            elif target in ways_on and target not in finished:
                walk.append(target)
                pending.append(iter(ways_on[target]))
