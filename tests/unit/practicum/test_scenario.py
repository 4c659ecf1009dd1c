"""The rules of playing a scenario: moving on, refusing what is not offered, scoring, best path, passing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.practicum.scenario import (
    CONTINUE,
    ChoiceNotOffered,
    NodeKind,
    Scenario,
    advance,
    best_path,
    compare_paths,
    current_node,
    is_finished,
    max_scores,
    offered_choices,
    parse_scenario,
    pass_mark,
    passed,
    score,
    walk,
)

from .builders import choice, decision, ending, load_sample, scenario, situation

GOOD_PATH = ("confirmed-alert", CONTINUE, "hold-photo", "report-from-cordon")
RUSHED_PATH = ("publish-video", CONTINUE, CONTINUE, "hold-photo", "report-from-cordon")


def parsed(data: Any) -> Scenario:
    result, errors, _ = parse_scenario(data)
    assert result is not None, errors
    return result


@pytest.fixture(scope="module")
def sample() -> Scenario:
    return parsed(load_sample("scenario.yaml"))


def test_a_playthrough_starts_at_the_start_node(sample: Scenario) -> None:
    assert current_node(sample, []).id == "first-reports"


def test_taking_a_choice_moves_on_and_returns_its_feedback(sample: Scenario) -> None:
    step = advance(sample, [], "publish-video")

    assert step.path == ("publish-video",)
    assert step.node.id == "fallout" and not step.finished
    assert step.choice.feedback["en"].startswith("Speed won and accuracy lost.")


def test_a_situation_offers_only_continue(sample: Scenario) -> None:
    fallout = current_node(sample, ["publish-video"])

    assert fallout.kind is NodeKind.SITUATION
    assert [c.id for c in offered_choices(fallout)] == [CONTINUE]
    assert advance(sample, ["publish-video"], CONTINUE).node.id == "official-statement"


def test_reaching_an_ending_finishes_the_playthrough(sample: Scenario) -> None:
    step = advance(sample, GOOD_PATH[:-1], GOOD_PATH[-1])

    assert step.finished and step.node.id == "good-ending"
    assert is_finished(sample, GOOD_PATH) and not is_finished(sample, GOOD_PATH[:-1])


@pytest.mark.parametrize(
    ("path", "forged"),
    [
        ([], "hold-photo"),  # a choice of a later node
        ([], CONTINUE),  # continue at a decision
        ([], "Publish-Video"),  # ids are exact
        (["confirmed-alert"], "hold-photo"),  # a situation's only way on is continue
        (["confirmed-alert", CONTINUE], "publish-video"),  # a choice of an earlier node
    ],
)
def test_a_choice_not_offered_at_the_current_node_is_refused(sample: Scenario, path: list[str], forged: str) -> None:
    with pytest.raises(ChoiceNotOffered) as refused:
        advance(sample, path, forged)

    assert refused.value.node_id == current_node(sample, path).id and refused.value.choice_id == forged


def test_nothing_is_offered_at_an_ending(sample: Scenario) -> None:
    assert offered_choices(current_node(sample, GOOD_PATH)) == ()
    with pytest.raises(ChoiceNotOffered):
        advance(sample, GOOD_PATH, "report-from-cordon")


def test_a_forged_stored_path_is_refused_when_replayed(sample: Scenario) -> None:
    with pytest.raises(ChoiceNotOffered):
        current_node(sample, ["confirmed-alert", "hold-photo"])
    with pytest.raises(ChoiceNotOffered):
        score(sample, ["run-photo"])


def test_walk_lists_each_node_with_the_choice_taken(sample: Scenario) -> None:
    visits = walk(sample, GOOD_PATH)

    assert [(v.node.id, v.choice.id) for v in visits] == [
        ("first-reports", "confirmed-alert"),
        ("official-statement", CONTINUE),
        ("suspect-photo", "hold-photo"),
        ("live-operation", "report-from-cordon"),
    ]


def test_score_adds_each_choice_s_effects_per_criterion(sample: Scenario) -> None:
    assert score(sample, []) == {"accuracy": 0, "harm": 0, "legality": 0}
    assert score(sample, ["publish-video"]) == {"accuracy": -2, "harm": -2, "legality": -1}
    assert score(sample, RUSHED_PATH) == {"accuracy": 0, "harm": 2, "legality": 3}


def test_the_best_path_has_the_highest_total(sample: Scenario) -> None:
    assert best_path(sample) == GOOD_PATH
    assert score(sample, GOOD_PATH) == {"accuracy": 4, "harm": 5, "legality": 5}


def test_on_a_tie_the_best_path_takes_the_choice_written_first() -> None:
    tied = parsed(
        scenario(
            decision("desk", choice("call", "end", accuracy=2), choice("check", "end", accuracy=1, harm=1)),
            ending("end"),
        )
    )
    assert best_path(tied) == ("call",)

    swapped = parsed(
        scenario(
            decision("desk", choice("check", "end", accuracy=1, harm=1), choice("call", "end", accuracy=2)),
            ending("end"),
        )
    )
    assert best_path(swapped) == ("check",)


def test_a_choice_worth_less_now_may_lead_to_the_best_path() -> None:
    data = scenario(
        decision("desk", choice("quick", "end", accuracy=2), choice("slow", "verify", accuracy=1)),
        decision("verify", choice("source", "end", accuracy=3), choice("guess", "end", accuracy=-3)),
        ending("end"),
    )
    assert best_path(parsed(data)) == ("slow", "source")


def test_max_scores_counts_each_criterion_on_its_own_path() -> None:
    data = scenario(
        decision("desk", choice("careful", "end", accuracy=3, harm=-1), choice("kind", "end", accuracy=0, harm=2)),
        ending("end"),
    )
    assert max_scores(parsed(data)) == {"accuracy": 3, "harm": 2}


def test_the_pass_mark_is_the_threshold_percent_of_the_best_total_rounded_up(sample: Scenario) -> None:
    assert pass_mark(sample) == 9  # 60 % of 14 is 8.4

    assert passed(sample, {"accuracy": 3, "harm": 3, "legality": 3})
    assert not passed(sample, {"accuracy": 2, "harm": 3, "legality": 3})
    assert not passed(sample, score(sample, RUSHED_PATH))
    assert passed(sample, score(sample, ("wait-for-officials", CONTINUE, "hold-photo", "report-from-cordon")))


@pytest.mark.parametrize(("threshold", "mark"), [(0, 0), (50, 2), (100, 3)])
def test_the_pass_mark_follows_the_threshold(threshold: int, mark: int) -> None:
    data = scenario(
        decision("desk", choice("verify", "end", accuracy=3), choice("rush", "end", accuracy=-1)),
        ending("end"),
        pass_threshold=threshold,
    )
    assert pass_mark(parsed(data)) == mark


def test_comparing_paths_gives_each_difference_with_the_best_choice_s_feedback_as_reason(
    sample: Scenario,
) -> None:
    learner = ("confirmed-alert", CONTINUE, "run-photo")

    differences = compare_paths(sample, learner, best_path(sample))

    assert [(d.node.id, d.taken.id, d.best.id) for d in differences] == [("suspect-photo", "run-photo", "hold-photo")]
    assert differences[0].reason == sample.nodes["suspect-photo"].choices[1].feedback


def test_comparing_paths_skips_nodes_only_the_learner_visited(sample: Scenario) -> None:
    differences = compare_paths(sample, RUSHED_PATH, GOOD_PATH)

    assert [(d.node.id, d.taken.id) for d in differences] == [("first-reports", "publish-video")]


def test_paths_that_meet_again_differ_at_each_node_both_decided() -> None:
    data = scenario(
        decision("desk", choice("a", "mid", accuracy=1), choice("b", "mid")),
        decision("mid", choice("c", "end", harm=1), choice("d", "end")),
        ending("end"),
    )
    game = parsed(data)

    assert [d.node.id for d in compare_paths(game, ("b", "d"), best_path(game))] == ["desk", "mid"]
    assert compare_paths(game, best_path(game), best_path(game)) == []


# --- properties of every valid scenario ---------------------------------------------------------------------


@st.composite
def valid_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """Random scenarios without loops: every way on leads to a later node, and the last node is an ending.

    The first choice of each decision scores at least 1 and nothing below 0, so the best path scores above 0.
    Nodes no path reaches are dropped, as an author would be told to.
    """
    size = draw(st.integers(min_value=2, max_value=12))
    nodes: list[dict[str, Any]] = []
    for index in range(size):
        later = st.integers(min_value=index + 1, max_value=size - 1).map(lambda i: f"n{i:02d}")
        kind = (
            "decision"
            if index == 0
            else "ending"
            if index == size - 1
            else draw(st.sampled_from(["decision", "situation", "ending"]))
        )
        if kind == "ending":
            nodes.append(ending(f"n{index:02d}"))
        elif kind == "situation":
            nodes.append(situation(f"n{index:02d}", draw(later)))
        else:
            count = draw(st.integers(min_value=2, max_value=4))
            effects = st.dictionaries(st.sampled_from(["accuracy", "harm"]), st.integers(-3, 3), min_size=1)
            choices = [choice("c0", draw(later), accuracy=draw(st.integers(1, 3)))]
            choices += [choice(f"c{k}", draw(later), **draw(effects)) for k in range(1, count)]
            nodes.append(decision(f"n{index:02d}", *choices))
    return scenario(*_reachable_from_first(nodes), start="n00")


def _reachable_from_first(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = {node["id"]: node for node in nodes}
    reached, stack = {"n00"}, ["n00"]
    while stack:
        node = by_id[stack.pop()]
        for target in [c["next"] for c in node.get("choices", [])] + ([node["next"]] if "next" in node else []):
            if target not in reached:
                reached.add(target)
                stack.append(target)
    return [node for node in nodes if node["id"] in reached]


@settings(max_examples=200)
@given(data=valid_scenarios(), play=st.data())
def test_every_path_of_offered_choices_ends_within_as_many_steps_as_nodes(
    data: dict[str, Any], play: st.DataObject
) -> None:
    game, errors, _ = parse_scenario(data)
    assert errors == [] and game is not None
    path: tuple[str, ...] = ()

    for _ in range(len(game.nodes)):
        node = current_node(game, path)
        if node.kind is NodeKind.ENDING:
            break
        offered = [c.id for c in offered_choices(node)]
        every_id = {c.id for n in game.nodes.values() for c in n.choices} | {CONTINUE, "c9"}
        forged = play.draw(st.sampled_from(sorted(every_id - set(offered))), label="forged")
        with pytest.raises(ChoiceNotOffered):
            advance(game, path, forged)
        path = advance(game, path, play.draw(st.sampled_from(offered), label="choice")).path

    assert current_node(game, path).kind is NodeKind.ENDING
    best = score(game, best_path(game))
    assert sum(score(game, path).values()) <= sum(best.values())
    assert all(score(game, path)[c] <= most for c, most in max_scores(game).items())
    assert sum(best.values()) >= pass_mark(game) > 0


@given(data=valid_scenarios(), pick=st.data())
def test_a_choice_redirected_to_a_missing_node_is_refused_naming_the_choice(
    data: dict[str, Any], pick: st.DataObject
) -> None:
    decisions = [node for node in data["nodes"] if "choices" in node]
    node = pick.draw(st.sampled_from(decisions))
    broken = pick.draw(st.sampled_from(node["choices"]))
    broken["next"] = "missing"

    game, errors, _ = parse_scenario(data)

    assert game is None
    assert f"node {node['id']}, choice {broken['id']}" in [e.where for e in errors]
