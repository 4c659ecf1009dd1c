"""Scenario statistics against a hand count: learners per choice at each decision, playthroughs per ending."""

from __future__ import annotations

from app.practicum.scenario import CONTINUE, Scenario, parse_scenario
from app.practicum.statistics import PlayRecord, scenario_statistics

from .builders import load_sample

BEST = ("confirmed-alert", CONTINUE, "hold-photo", "report-from-cordon")
HARMFUL = ("publish-video", CONTINUE, CONTINUE, "run-photo")
WAITED = ("wait-for-officials", CONTINUE, "hold-photo", "stream-positions")


def sample() -> Scenario:
    scenario, errors, _ = parse_scenario(load_sample("scenario.yaml"))
    assert scenario is not None, errors
    return scenario


def record(user_id: int, path, ending: str | None, passed: bool | None = None) -> PlayRecord:
    return PlayRecord(user_id, sample(), path, ending, passed)


def test_choices_are_counted_in_learners_and_endings_in_playthroughs():
    plays = [
        record(1, HARMFUL, "harmful-ending", False),
        record(1, BEST, "good-ending", True),  # learner 1 replayed: counts once for each first choice
        record(2, BEST, "good-ending", True),
        record(2, BEST, "good-ending", True),  # the same choices again: still one learner
        record(3, WAITED, "harmful-ending", False),
        record(4, ("confirmed-alert",), None),  # unfinished: its choice counts, it has no ending
    ]
    stats = scenario_statistics(sample(), plays)

    assert (stats.learners, stats.playthroughs, stats.finished, stats.passed_learners) == (4, 6, 5, 2)
    first, photo, operation = stats.decisions
    assert first.node.id == "first-reports" and first.learners == 4
    assert [(c.choice.id, c.learners, c.percent) for c in first.choices] == [
        ("publish-video", 1, 25), ("confirmed-alert", 3, 75), ("wait-for-officials", 1, 25)]
    # Learners 1, 2 and 3 reached the photo; learner 1 both ran it and held it.
    assert photo.learners == 3
    assert [(c.choice.id, c.learners, c.percent) for c in photo.choices] == [("run-photo", 1, 33),
                                                                            ("hold-photo", 3, 100)]
    assert operation.learners == 3
    assert [(c.choice.id, c.learners, c.percent) for c in operation.choices] == [("stream-positions", 1, 33),
                                                                                ("report-from-cordon", 2, 67)]
    assert [(e.node.id, e.playthroughs, e.percent) for e in stats.endings] == [("good-ending", 3, 60),
                                                                              ("harmful-ending", 2, 40)]


def test_no_playthroughs_gives_zeros_not_errors():
    stats = scenario_statistics(sample(), [])
    assert (stats.learners, stats.playthroughs, stats.finished, stats.passed_learners) == (0, 0, 0, 0)
    assert all(c.learners == 0 and c.percent == 0 for d in stats.decisions for c in d.choices)
    assert all(e.percent == 0 for e in stats.endings)
