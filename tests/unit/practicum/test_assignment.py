"""The writing assignment: counting words in three languages, a submission's limits, rubric grading."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.practicum.assignment import (
    CHARACTERS_PER_WORD,
    Assignment,
    InvalidGrade,
    PartProblem,
    PartProblemKind,
    count_words,
    parse_assignment,
    score_rubric,
    validate_submission,
)
from app.practicum.authoring import Problem

from .builders import load_sample, texts

HEADLINE = "Сарыбел автовокзалы маңында жарылыс: төрт адам жарақат алды"  # 8 words
LEAD = (
    "В 13:45 у автовокзала Сарыбела сработало взрывное устройство, сообщает полиция. Четыре человека ранены, "
    "их жизни ничего не угрожает. Жителей просят не приближаться к району вокзала."
)  # 25 words
POST = "Police: 4 injured in blast near #Sarybel bus station, lives not in danger. Avoid the area. https://example.kz/a"


@pytest.fixture(scope="module")
def sample() -> Assignment:
    assignment, errors, warnings = parse_assignment(load_sample("assignment.yaml"))
    assert assignment is not None and errors == [] and warnings == []
    return assignment


def test_the_sample_assignment_has_three_parts_with_limits_and_a_rubric(sample: Assignment) -> None:
    assert [(p.id, p.min_words, p.max_words) for p in sample.parts] == [
        ("headline", 4, 15),
        ("lead", 20, 60),
        ("social-post", 5, 50),
    ]
    assert [c.id for c in sample.rubric.criteria] == ["accuracy", "harm", "legality", "usefulness"]
    assert all(len(c.levels) == 3 for c in sample.rubric.criteria)
    assert sample.rubric.max_points == 8
    assert sample.parts[0].label == {"kk": "Тақырып", "ru": "Заголовок", "en": "Headline"}


# --- counting words --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (HEADLINE, 8),
        ("Взрыв у автовокзала Сарыбела — четыре человека ранены", 7),
        ("Blast near the bus station: four people injured", 8),
        (LEAD, 25),
        ("", 0),
        ("   \n\t ", 0),
        ("— … « » - ! ?", 0),  # punctuation alone is no word
        ("🙏 🙏 ок", 1),  # nor is an emoji
        ("#Сарыбел #терроризм", 2),  # a hashtag is a word
        ("Read more: https://example.kz/news?id=1&lang=kk", 3),  # so is a link
        ("14:05 — 20 минут", 3),  # and a time
        ("қазақ-орыс сөздігі, don't, и/или", 4),  # hyphens, apostrophes and slashes join
        ("бүгін—ертең", 2),  # a dash set without spaces separates
        ("ҚР\u00a0Президенті", 2),  # a no-break space separates
        ("word\u200bword", 2),  # so does a zero-width space
        ("Әлеуметтік желідегі жазба\nекінші жол", 5),
    ],
)
def test_words_are_counted_as_a_reader_counts_them(text: str, words: int) -> None:
    assert count_words(text) == words


LETTERS = "abcxyzАБВабвыщӘәҒғҚқҢңӨөҰұҮүҺһІі0123456789"
SEPARATORS = [" ", "  ", "\n", "\t", "\u00a0", " — ", " - ", ", ", ". ", " … ", " « ", "» ", "—", " 🙏 "]


@given(
    words=st.lists(
        st.tuples(
            st.sampled_from(["", "#", "«", "("]),
            st.text(LETTERS, min_size=1, max_size=12),
            st.sampled_from(["", "-бет", "'s", ")"]),
        ),
        max_size=40,
    ),
    separators=st.lists(st.sampled_from(SEPARATORS), min_size=41, max_size=41),
)
def test_any_words_in_any_of_the_three_alphabets_are_each_counted_once(
    words: list[tuple[str, str, str]], separators: list[str]
) -> None:
    text = separators[0] + "".join("".join(word) + separators[i + 1] for i, word in enumerate(words))

    assert count_words(text) == len(words)


# --- limits of a submission ------------------------------------------------------------------------------


def test_a_submission_within_every_limit_has_no_problems(sample: Assignment) -> None:
    assert validate_submission(sample, {"headline": HEADLINE, "lead": LEAD, "social-post": POST}) == []


def test_the_word_limits_are_inclusive(sample: Assignment) -> None:
    at_the_limits = {
        "headline": "бір екі үш төрт",
        "lead": " ".join(["сөз"] * 60),
        "social-post": "one two three four five",
    }

    assert validate_submission(sample, at_the_limits) == []


def test_each_part_outside_its_limits_is_reported_with_the_count_and_the_limit(sample: Assignment) -> None:
    problems = validate_submission(
        sample, {"headline": "Жарылыс", "lead": " ".join(["сөз"] * 61), "social-post": "#Сарыбел"}
    )

    assert problems == [
        PartProblem("headline", PartProblemKind.TOO_SHORT, 1, 4),
        PartProblem("lead", PartProblemKind.TOO_LONG, 61, 60),
        PartProblem("social-post", PartProblemKind.TOO_SHORT, 1, 5),
    ]


@pytest.mark.parametrize("blank", ["", "   ", "— …"])
def test_a_part_left_empty_or_blank_is_missing(sample: Assignment, blank: str) -> None:
    problems = validate_submission(sample, {"headline": blank, "lead": LEAD, "social-post": POST})

    assert problems == [PartProblem("headline", PartProblemKind.MISSING, 0, 4)]


def test_a_part_not_sent_at_all_is_missing(sample: Assignment) -> None:
    problems = validate_submission(sample, {"headline": HEADLINE, "lead": LEAD})

    assert problems == [PartProblem("social-post", PartProblemKind.MISSING, 0, 5)]


def test_one_endless_word_cannot_slip_past_the_word_limit(sample: Assignment) -> None:
    flood = "a" * (15 * CHARACTERS_PER_WORD)

    problems = validate_submission(
        sample, {"headline": f"Жарылыс болды, төрт {flood}", "lead": LEAD, "social-post": POST}
    )

    assert [(p.part_id, p.kind, p.limit) for p in problems] == [
        ("headline", PartProblemKind.TOO_MANY_CHARACTERS, 15 * CHARACTERS_PER_WORD)
    ]


def test_an_answer_to_a_part_the_assignment_does_not_have_is_refused(sample: Assignment) -> None:
    answers = {"headline": HEADLINE, "lead": LEAD, "social-post": POST, "photo-caption": "Сурет"}

    assert validate_submission(sample, answers) == [PartProblem("photo-caption", PartProblemKind.UNKNOWN_PART, 0, 0)]


# --- grading with the rubric -----------------------------------------------------------------------------

ALL_TOP = {"accuracy": 2, "harm": 2, "legality": 2, "usefulness": 2}


def test_a_grade_adds_the_points_of_the_chosen_levels(sample: Assignment) -> None:
    assert score_rubric(sample.rubric, ALL_TOP) == (8, 8)
    assert score_rubric(sample.rubric, {"accuracy": 0, "harm": 1, "legality": 2, "usefulness": 1}) == (4, 8)


@pytest.mark.parametrize(
    ("levels", "refusal"),
    [
        ({"accuracy": 2, "harm": 2, "legality": 2}, "criterion 'usefulness' is not graded"),
        ({**ALL_TOP, "style": 1}, "unknown criterion 'style'"),
        ({**ALL_TOP, "harm": 3}, "criterion 'harm' has no level 3 (0 to 2)"),
        ({**ALL_TOP, "harm": -1}, "criterion 'harm' has no level -1"),
        ({**ALL_TOP, "harm": True}, "criterion 'harm' has no level True"),
        ({**ALL_TOP, "harm": "2"}, "criterion 'harm' has no level '2'"),
    ],
)
def test_a_grade_that_does_not_fit_the_rubric_is_refused(
    sample: Assignment, levels: dict[str, Any], refusal: str
) -> None:
    with pytest.raises(InvalidGrade) as refused:
        score_rubric(sample.rubric, levels)

    assert any(problem.startswith(refusal) for problem in refused.value.problems)


def test_every_reason_a_grade_is_refused_is_given_at_once(sample: Assignment) -> None:
    with pytest.raises(InvalidGrade) as refused:
        score_rubric(sample.rubric, {"accuracy": 9, "style": 1})

    assert refused.value.problems == [
        "unknown criterion 'style'",
        "criterion 'accuracy' has no level 9 (0 to 2)",
        "criterion 'harm' is not graded",
        "criterion 'legality' is not graded",
        "criterion 'usefulness' is not graded",
    ]


# --- reading and checking assignment.yaml ----------------------------------------------------------------


def level(points: int) -> dict[str, Any]:
    return {"points": points, "descriptor": texts(f"{points} points")}


def small_assignment() -> dict[str, Any]:
    return {
        "title": texts("assignment"),
        "prompt": texts("write"),
        "parts": [
            {
                "id": "headline",
                "label": texts("headline"),
                "guidance": texts("say it"),
                "min_words": 4,
                "max_words": 15,
            }
        ],
        "rubric": [{"id": "accuracy", "title": texts("accuracy"), "levels": [level(0), level(1), level(2)]}],
    }


def _headline(data: dict[str, Any]) -> dict[str, Any]:
    return data["parts"][0]


def _accuracy(data: dict[str, Any]) -> dict[str, Any]:
    return data["rubric"][0]


BROKEN: list[tuple[str, Callable[[dict[str, Any]], Any], str, str]] = [
    ("unknown key", lambda d: d.update(deadline="Friday"), "assignment", "unknown key `deadline`"),
    ("missing prompt", lambda d: d.pop("prompt"), "assignment", "`prompt` is missing"),
    ("no parts", lambda d: d.update(parts=[]), "assignment", "`parts` must be a list of one or more"),
    ("no rubric", lambda d: d.pop("rubric"), "assignment", "`rubric` is missing"),
    (
        "misspelt part key",
        lambda d: _headline(d).update(max_word=15),
        "part headline",
        "did you mean `max_words`?",
    ),
    (
        "part without Kazakh label",
        lambda d: _headline(d).update(label={"en": "Headline"}),
        "part headline",
        "`label` has no Kazakh text",
    ),
    (
        "max below min",
        lambda d: _headline(d).update(max_words=3),
        "part headline",
        "`max_words` (3) is less than",
    ),
    (
        "min of zero",
        lambda d: _headline(d).update(min_words=0),
        "part headline",
        "`min_words` must be at least 1",
    ),
    (
        "word limit not a number",
        lambda d: _headline(d).update(max_words="15"),
        "part headline",
        "whole number",
    ),
    ("duplicate part id", lambda d: d["parts"].append(dict(_headline(d))), "part headline", "another part"),
    (
        "duplicate criterion id",
        lambda d: d["rubric"].append(dict(_accuracy(d))),
        "criterion accuracy",
        "another criterion",
    ),
    (
        "criterion with one level",
        lambda d: _accuracy(d).update(levels=[level(2)]),
        "criterion accuracy",
        "at least 2 levels",
    ),
    (
        "points that do not rise",
        lambda d: _accuracy(d).update(levels=[level(0), level(2), level(2)]),
        "criterion accuracy, level 3",
        "`points` must rise: 2 does not exceed 2",
    ),
    (
        "negative points",
        lambda d: _accuracy(d).update(levels=[level(-1), level(2)]),
        "criterion accuracy, level 1",
        "`points` must be at least 0",
    ),
    (
        "level without descriptor",
        lambda d: _accuracy(d)["levels"][1].pop("descriptor"),
        "criterion accuracy, level 2",
        "`descriptor` is missing",
    ),
    (
        "part id not a slug",
        lambda d: _headline(d).update(id="Head line"),
        "part #1",
        "lowercase Latin letters",
    ),
]


@pytest.mark.parametrize(("break_it", "where", "says"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_a_broken_assignment_is_refused_with_a_message_naming_the_place(
    break_it: Callable[[dict[str, Any]], Any], where: str, says: str
) -> None:
    data = small_assignment()
    break_it(data)

    assignment, errors, _ = parse_assignment(data)

    assert assignment is None
    assert any(e.where == where and says in e.message for e in errors), errors


def test_a_missing_translation_in_the_assignment_is_a_warning() -> None:
    data = small_assignment()
    _accuracy(data)["levels"][0]["descriptor"] = {"kk": "Дерексіз", "ru": "Без источника"}

    assignment, errors, warnings = parse_assignment(data)

    assert assignment is not None and errors == []
    assert warnings == [Problem("criterion accuracy, level 1", "`descriptor` is missing its translation: English")]


def test_an_assignment_that_is_not_a_mapping_is_refused() -> None:
    assignment, errors, _ = parse_assignment(["headline"])

    assert assignment is None and [e.where for e in errors] == ["assignment"]
