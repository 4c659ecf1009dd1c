"""Who the benchmark's learners are and how far each has got: pure, reproducible from a seed.

A national roll-out in its deadline week: some learners have only registered, most are somewhere in the
course, a quarter have completed it. Each learner's plan depends only on the seed and their number, so a data
set can be rebuilt exactly, and learner 17 is the same person at 100 learners and at 10,000.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass

EMAIL = "learner{}@bench.sanaly.kz"
TRAINER_EMAIL = "trainer{}@bench.sanaly.kz"
ADMIN_EMAIL = "admin@bench.sanaly.kz"
COHORT_SIZE = 1000
LEARNERS_PER_TRAINER = 500


class Stage(enum.IntEnum):
    """How far a learner has got, in course order."""

    REGISTERED = 0
    READING_FIRST = 1  # reading module 1
    FIRST_DONE = 2  # module 1's readings read, its quiz passed
    READING_SECOND = 3
    SECOND_DONE = 4
    PLAYING = 5  # in the practicum: playing the scenario
    SUBMITTED = 6  # scenario passed, the assignment written and waiting for (or returned by) a trainer
    COMPLETE = 7  # every item done: the course is complete


STAGE_WEIGHTS = {
    Stage.REGISTERED: 8, Stage.READING_FIRST: 12, Stage.FIRST_DONE: 10, Stage.READING_SECOND: 10,
    Stage.SECOND_DONE: 12, Stage.PLAYING: 10, Stage.SUBMITTED: 13, Stage.COMPLETE: 25,
}
LOCALE_WEIGHTS = {"kk": 60, "ru": 32, "en": 8}

GIVEN_NAMES = (
    "Айгерім", "Әсел", "Гүлнар", "Дана", "Жанар", "Зарина", "Қарлығаш", "Мадина", "Перизат", "Сәуле", "Томирис",
    "Ұлжан", "Анна", "Екатерина", "Ольга", "Арман", "Асқар", "Бауыржан", "Дәурен", "Ерлан", "Жандос", "Қайрат",
    "Марат", "Нұрлан", "Рустем", "Серік", "Тимур", "Ілияс", "Алексей", "Дмитрий", "Сергей", "Ainur", "Daniyar",
)
FAMILY_NAMES = (
    "Әбдірахманов", "Ахметов", "Байжанов", "Жақсылықов", "Исаев", "Қасымов", "Мұратов", "Нұрпейісов", "Омаров",
    "Сәрсенбаев", "Тоқтаров", "Үмбетов", "Шәкенов", "Ермеков", "Иванов", "Ким", "Петров", "Смагулов", "Zhakupov",
)


@dataclass(frozen=True)
class LearnerPlan:
    number: int
    email: str
    display_name: str
    locale: str
    stage: Stage
    skill: float  # the chance of answering a quiz question right
    days_ago: int  # when the learner registered

    def reached(self, stage: Stage) -> bool:
        return self.stage >= stage


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _family_name(rng: random.Random, given: str) -> str:
    family = rng.choice(FAMILY_NAMES)
    # Kazakh and Russian family names agree with the person: Ахметов, Ахметова.
    feminine = given in GIVEN_NAMES[:15] or given == "Ainur"
    if feminine and family.endswith(("ов", "ев", "ин")):
        return family + "а"
    return family


def learner_plan(seed: int, number: int) -> LearnerPlan:
    """Learner ``number`` (1-based) of the data set made from ``seed``."""
    rng = random.Random(seed * 1_000_003 + number)  # noqa: S311 - reproducible test data, no secret  # nosec B311
    given = rng.choice(GIVEN_NAMES)
    return LearnerPlan(
        number=number,
        email=EMAIL.format(number),
        display_name=f"{given} {_family_name(rng, given)}",
        locale=_weighted(rng, LOCALE_WEIGHTS),
        stage=_weighted(rng, STAGE_WEIGHTS),
        skill=round(rng.uniform(0.45, 0.97), 2),
        days_ago=rng.randint(1, 60),
    )


def trainer_count(learners: int) -> int:
    return max(2, -(-learners // LEARNERS_PER_TRAINER))


def cohort_ranges(learners: int) -> list[tuple[int, int]]:
    """Learner numbers (first, last) of each cohort: intakes of COHORT_SIZE, the last one smaller."""
    return [(first, min(first + COHORT_SIZE - 1, learners)) for first in range(1, learners + 1, COHORT_SIZE)]
