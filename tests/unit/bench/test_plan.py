"""The benchmark's learners: the same seed gives the same people, in a believable spread over the course."""

from __future__ import annotations

from collections import Counter

from app.bench.plan import STAGE_WEIGHTS, Stage, cohort_ranges, learner_plan, trainer_count


def test_a_learner_is_the_same_person_whatever_the_size_of_the_data_set():
    assert learner_plan(1, 17) == learner_plan(1, 17)
    assert learner_plan(1, 17).email == "learner17@bench.sanaly.kz"
    assert learner_plan(2, 17) != learner_plan(1, 17)


def test_learners_spread_over_the_course_as_the_weights_say():
    stages = Counter(learner_plan(1, n).stage for n in range(1, 4001))
    total = sum(STAGE_WEIGHTS.values())
    for stage, weight in STAGE_WEIGHTS.items():
        assert abs(stages[stage] / 4000 - weight / total) < 0.03, stage
    assert stages[Stage.COMPLETE] > stages[Stage.REGISTERED]


def test_names_are_kazakh_and_russian_and_agree_with_the_person():
    names = {learner_plan(1, n).display_name for n in range(1, 300)}
    assert any("ов " in name + " " or name.endswith("ов") for name in names)
    assert any(name.endswith("ова") for name in names)
    assert not any(name.startswith(("Арман", "Ерлан")) and name.endswith("ова") for name in names)


def test_cohorts_are_intakes_of_a_thousand_and_trainers_follow_five_hundred_learners_each():
    assert cohort_ranges(2500) == [(1, 1000), (1001, 2000), (2001, 2500)]
    assert cohort_ranges(10) == [(1, 10)]
    assert trainer_count(10) == 2 and trainer_count(10_000) == 20
