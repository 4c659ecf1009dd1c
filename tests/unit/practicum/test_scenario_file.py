"""What `courseware check` refuses in a scenario.yaml, and how it tells the author where to look."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.courseware.yamlfile import parse_yaml
from app.practicum.assignment import parse_assignment
from app.practicum.authoring import Problem
from app.practicum.scenario import NodeKind, parse_scenario

from .builders import choice, choice_in, ending, load_sample, newsroom, node_in, situation


def test_the_sample_scenario_is_valid_and_fully_translated() -> None:
    scenario, errors, warnings = parse_scenario(load_sample("scenario.yaml"))

    assert errors == [] and warnings == []
    assert scenario is not None
    assert [c.id for c in scenario.criteria] == ["accuracy", "harm", "legality"]
    kinds = [node.kind for node in scenario.nodes.values()]
    assert kinds.count(NodeKind.DECISION) == 3 and kinds.count(NodeKind.ENDING) == 2


def test_a_valid_scenario_keeps_every_field_an_author_wrote() -> None:
    data = newsroom()
    node_in(data, "desk")["clock"] = {"kk": "14:05", "ru": "14:05", "en": "14:05"}
    node_in(data, "desk")["image"] = {"src": "images/square.svg", "alt": {"kk": "а", "ru": "а", "en": "a"}}
    node_in(data, "desk")["material"] = {
        "kind": "wire",
        "from": {"kk": "ҚазАқпарат"},
        "text": {"kk": "Шұғыл"},
    }

    scenario, errors, warnings = parse_scenario(data)

    assert errors == [] and scenario is not None
    desk = scenario.nodes["desk"]
    assert desk.kind is NodeKind.DECISION and desk.clock == {"kk": "14:05", "ru": "14:05", "en": "14:05"}
    assert desk.image is not None and desk.image.src == "images/square.svg"
    assert desk.material is not None and desk.material.kind == "wire" and desk.material.sender == {"kk": "ҚазАқпарат"}
    assert [c.id for c in desk.choices] == ["verify", "rush"]
    assert desk.choices[0].effects == {"accuracy": 2, "harm": 1} and desk.choices[0].next == "statement"
    assert scenario.nodes["statement"].kind is NodeKind.SITUATION and scenario.nodes["statement"].next == "good"
    assert scenario.nodes["good"].debrief == {
        "kk": "good debrief (kk)",
        "ru": "good debrief (ru)",
        "en": "good debrief (en)",
    }
    assert [w.where for w in warnings] == ["node desk, material", "node desk, material"]  # ru, en missing


def _set(path: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: path(data).__setitem__(key, value)


def _drop(path: Callable[[dict[str, Any]], dict[str, Any]], key: str) -> Callable[[dict[str, Any]], None]:
    return lambda data: path(data).pop(key)


def _desk(data: dict[str, Any]) -> dict[str, Any]:
    return node_in(data, "desk")


def _rush(data: dict[str, Any]) -> dict[str, Any]:
    return choice_in(data, "desk", "rush")


def _add(*nodes: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda data: data["nodes"].extend(nodes)


def _add_choice(new: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda data: _desk(data)["choices"].append(new)


# (what is wrong, how to break the newsroom scenario, where the error points, what it says)
BROKEN: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("unreachable node", _add(ending("orphan")), "node orphan", "no path from the start (`desk`) leads"),
    (
        "choice leading nowhere",
        _set(_rush, "next", "nowhere"),
        "node desk, choice rush",
        "`next: nowhere` names no node",
    ),
    (
        "continue leading nowhere",
        _set(lambda d: node_in(d, "statement"), "next", "void"),
        "node statement",
        "`next: void` names no node",
    ),
    ("start naming no node", lambda d: d.update(start="lobby"), "scenario", "`start: lobby` names no node"),
    (
        "loop without an exit",
        lambda d: (
            _add_choice(choice("dither", "loop-a"))(d),
            _add(situation("loop-a", "loop-b"), situation("loop-b", "loop-a"))(d),
        ),
        "node loop-a",
        "no ending can be reached from here",
    ),
    (
        "loop with an exit",
        _set(lambda d: node_in(d, "statement"), "next", "desk"),
        "node statement",
        "leads back to node desk, making a loop (desk → statement → desk)",
    ),
    (
        "choice looping to its own node",
        _set(_rush, "next", "desk"),
        "node desk, choice rush",
        "(desk → desk)",
    ),
    (
        "node leading nowhere",
        _drop(lambda d: node_in(d, "statement"), "next"),
        "node statement",
        "leads nowhere",
    ),
    ("duplicate node id", _add(ending("good")), "node good", "another node has the same id"),
    ("duplicate choice id", _set(_rush, "id", "verify"), "node desk, choice verify", "another choice"),
    (
        "duplicate criterion id",
        lambda d: d["criteria"].append({"id": "harm", "title": {"kk": "Зиян"}}),
        "criterion harm",
        "another criterion has the same id",
    ),
    ("decision with one choice", lambda d: _desk(d)["choices"].pop(), "node desk", "2 to 4 choices, found 1"),
    (
        "decision with five choices",
        lambda d: _desk(d)["choices"].extend(choice(f"c{i}", "bad") for i in range(3)),
        "node desk",
        "2 to 4 choices, found 5",
    ),
    (
        "effect on an unknown criterion",
        _set(_rush, "effects", {"speed": 1}),
        "node desk, choice rush",
        "unknown criterion `speed`; the criteria are: accuracy, harm",
    ),
    (
        "effect that is not a number",
        _set(_rush, "effects", {"accuracy": "a lot"}),
        "node desk, choice rush, effects",
        "`accuracy` must be a whole number",
    ),
    (
        "effect that is true",
        _set(_rush, "effects", {"accuracy": True}),
        "node desk, choice rush, effects",
        "whole number",
    ),
    ("choice without effects", _drop(_rush, "effects"), "node desk, choice rush", "`effects` must give"),
    (
        "missing Kazakh text",
        _set(_rush, "feedback", {"ru": "Поспешно", "en": "Hasty"}),
        "node desk, choice rush",
        "`feedback` has no Kazakh text (kk)",
    ),
    (
        "text not given per language",
        _set(_desk, "title", "Desk"),
        "node desk",
        "`title` must give the text per",
    ),
    (
        "unknown language",
        _set(lambda d: node_in(d, "good"), "title", {"kk": "Жақсы", "kz": "Жақсы"}),
        "node good",
        "unknown language `kz`",
    ),
    (
        "misspelt node key",
        lambda d: _desk(d).update(choises=_desk(d).pop("choices")),
        "node desk",
        "unknown key `choises`; did you mean `choices`?",
    ),
    ("unknown top-level key", lambda d: d.update(author="me"), "scenario", "unknown key `author`"),
    (
        "misspelt choice key",
        _set(_rush, "feedbak", {"kk": "а"}),
        "node desk, choice rush",
        "did you mean `feedback`",
    ),
    ("node without a title", _drop(lambda d: node_in(d, "good"), "title"), "node good", "`title` is missing"),
    (
        "ending without a debrief",
        _drop(lambda d: node_in(d, "good"), "debrief"),
        "node good",
        "`debrief` is missing",
    ),
    ("decision without a text", _drop(_desk, "text"), "node desk", "`text` is missing"),
    ("choice without feedback", _drop(_rush, "feedback"), "node desk, choice rush", "`feedback` is missing"),
    ("choice without next", _drop(_rush, "next"), "node desk, choice rush", "`next` is missing"),
    ("decision that is also an ending", _set(_desk, "ending", True), "node desk", "cannot also be an ending"),
    ("decision with its own next", _set(_desk, "next", "good"), "node desk", "a decision has no `next`"),
    (
        "ending with a next",
        _set(lambda d: node_in(d, "good"), "next", "bad"),
        "node good",
        "an ending has no `next`",
    ),
    (
        "ending flag that is not true or false",
        _set(lambda d: node_in(d, "good"), "ending", "yes"),
        "node good",
        "`ending` must be `true` or `false`",
    ),
    (
        "node id that is not a slug",
        _set(lambda d: node_in(d, "bad"), "id", "Bad Ending"),
        "node #4",
        "`id` must be lowercase Latin letters",
    ),
    (
        "choice id that YAML read as false",
        _set(_rush, "id", False),
        "node desk, choice #2",
        "(put it in quotes)",
    ),
    (
        "pass threshold over 100",
        lambda d: d.update(pass_threshold=150),
        "scenario",
        "from 0 to 100, found 150",
    ),
    ("missing pass threshold", lambda d: d.pop("pass_threshold"), "scenario", "`pass_threshold` is missing"),
    ("no criteria", lambda d: d.update(criteria=[]), "scenario", "`criteria` must be a list of one or more"),
    ("no nodes", lambda d: d.update(nodes=[]), "scenario", "`nodes` must be a list of one or more"),
    (
        "node that is not a mapping",
        lambda d: d["nodes"].append("good"),
        "node #5",
        "expected a set of `key: value`",
    ),
    (
        "image outside the module",
        _set(_desk, "image", {"src": "../../secret.png", "alt": {"kk": "а"}}),
        "node desk, image",
        "inside the module folder",
    ),
    (
        "image without alt text",
        _set(_desk, "image", {"src": "images/a.svg"}),
        "node desk, image",
        "`alt` is missing",
    ),
    (
        "unknown material kind",
        _set(_desk, "material", {"kind": "tweet", "from": {"kk": "а"}, "text": {"kk": "ә"}}),
        "node desk, material",
        "`kind` must be one of wire, social, authority, editor, message; found `tweet`",
    ),
    (
        "best path scoring nothing",
        lambda d: (
            _set(lambda x: choice_in(x, "desk", "verify"), "effects", {"accuracy": 0})(d),
            _set(_rush, "effects", {"harm": -1})(d),
        ),
        "scenario",
        "the best path scores 0 in total",
    ),
]


@pytest.mark.parametrize(("break_it", "where", "says"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_a_broken_scenario_is_refused_with_a_message_naming_the_place(
    break_it: Callable[[dict[str, Any]], None], where: str, says: str
) -> None:
    data = newsroom()
    break_it(data)

    scenario, errors, _ = parse_scenario(data)

    assert scenario is None
    assert any(e.where == where and says in e.message for e in errors), errors


def test_every_mistake_is_reported_at_once() -> None:
    data = newsroom()
    _set(_rush, "effects", {"speed": 1})(data)
    _drop(lambda d: node_in(d, "good"), "title")(data)
    data["nodes"].append(ending("orphan"))

    _, errors, _ = parse_scenario(data)

    assert {e.where for e in errors} == {"node desk, choice rush", "node good", "node orphan"}


def test_a_broken_way_on_is_not_blamed_again_on_every_node_before_it() -> None:
    data = newsroom()
    _drop(lambda d: node_in(d, "statement"), "next")(data)

    _, errors, _ = parse_scenario(data)

    assert [str(e) for e in errors] == [
        "node statement: the node leads nowhere: give it `choices`, a `next` node, or `ending: true` and a `debrief`",
        # True, and a hint: the node the broken way on was meant to lead to.
        "node good: no path from the start (`desk`) leads to this node",
    ]


def test_a_missing_translation_is_a_warning_and_the_scenario_loads() -> None:
    data = newsroom()
    _set(_rush, "feedback", {"kk": "Асығыс", "en": "Hasty"})(data)
    node_in(data, "good")["title"] = {"kk": "Жақсы"}

    scenario, errors, warnings = parse_scenario(data)

    assert errors == [] and scenario is not None
    assert [str(w) for w in warnings] == [
        "node desk, choice rush: `feedback` is missing its translation: Russian",
        "node good: `title` is missing its translation: Russian, English",
    ]


def test_a_criterion_no_choice_scores_is_a_warning() -> None:
    data = newsroom()
    data["criteria"].append({"id": "legality", "title": {"kk": "Заң", "ru": "Закон", "en": "Law"}})

    scenario, errors, warnings = parse_scenario(data)

    assert scenario is not None and errors == []
    assert warnings == [Problem("criterion legality", "no choice changes this criterion's score")]


def test_a_comma_in_a_flow_mapping_gets_a_hint_about_quotes() -> None:
    data = newsroom()
    node_in(data, "good")["title"] = {"kk": "Жақсы", "ru": "Хорошо", "хорошо": None, "en": "Good"}

    _, errors, _ = parse_scenario(data)

    assert any("a comma in `{...}` ends a text unless it is in quotes" in e.message for e in errors)


@pytest.mark.parametrize("data", [None, [], "scenario", 3])
def test_a_file_that_is_not_a_mapping_is_refused(data: Any) -> None:
    scenario, errors, _ = parse_scenario(data)

    assert scenario is None
    assert errors == [Problem("scenario", errors[0].message)]


def test_a_loop_is_reported_once_at_the_way_on_that_closes_it() -> None:
    data = newsroom()
    _set(lambda d: node_in(d, "statement"), "next", "desk")(data)

    _, errors, _ = parse_scenario(data)

    assert [e.where for e in errors if "making a loop" in e.message] == ["node statement"]


def test_problems_read_as_place_then_message() -> None:
    assert (
        str(Problem("node n07, choice b", "`next: x` names no node")) == "node n07, choice b: `next: x` names no node"
    )


def test_a_decision_may_offer_up_to_four_choices() -> None:
    data = newsroom()
    _desk(data)["choices"].extend([choice("wait", "bad"), choice("ask", "good")])

    scenario, errors, _ = parse_scenario(data)

    assert errors == [] and scenario is not None and len(scenario.nodes["desk"].choices) == 4


def test_the_examples_in_the_authors_guide_pass_the_check() -> None:
    guide = Path(__file__).parents[3] / "docs" / "scenario-format.md"
    examples = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", guide.read_text("utf-8"), re.S)]
    scenarios = [example for example in examples if "nodes" in example]
    assignments = [example for example in examples if "parts" in example]

    assert len(scenarios) == 1 and len(assignments) == 1
    assert parse_scenario(scenarios[0])[1] == []
    assert parse_assignment(assignments[0])[1] == []


def test_read_with_courseware_s_yaml_reader_each_problem_carries_its_line() -> None:
    text = (
        "title: {kk: Сценарий, ru: Сценарий, en: Scenario}\n"  # 1
        "start: desk\n"
        "pass_threshold: 50\n"
        "criteria:\n"
        "  - {id: accuracy, title: {kk: Дәлдік, ru: Точность, en: Accuracy}}\n"  # 5
        "nodes:\n"
        "  - id: desk\n"
        "    title: {kk: Үстел, ru: Стол, en: Desk}\n"
        "    text: {kk: Мәтін, ru: Текст, en: Text}\n"
        "    choises: []\n"  # 10
        "  - id: good\n"
        "    ending: true\n"
        "    title: {kk: Жақсы}\n"
        "    debrief: {kk: Қорытынды, ru: Итог, en: Debrief}\n"
    )

    _, errors, warnings = parse_scenario(parse_yaml(text))

    assert [(e.line, e.where) for e in errors if "choises" in e.message] == [(10, "node desk")]
    assert [(w.line, w.where) for w in warnings] == [(13, "node good")]
    assert {e.line for e in errors if e.where == "node desk"} == {7, 10}  # "leads nowhere" points at the node
