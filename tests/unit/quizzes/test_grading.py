"""Grading of every question type, reading quiz.yaml questions, and the properties that hold for all types."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.quizzes.questions import (
    QUESTION_TYPES,
    AcceptedAnswer,
    Description,
    Essay,
    InvalidResponse,
    Matching,
    MatchPair,
    MultipleChoice,
    Numeric,
    NumericAnswer,
    Option,
    Ordering,
    OrderItem,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
    from_courseware,
    score_attempt,
    to_courseware,
)
from app.quizzes.text_types import matches_pattern, parse_number

PROPERTY = settings(max_examples=150, database=None, deadline=None)


def kk(text: str) -> dict[str, str]:
    return {"kk": text}


def options(*weights: float) -> tuple[Option, ...]:
    return tuple(Option(id=chr(ord("a") + i), text=kk(f"нұсқа {i}"), weight=w,
                        feedback=kk(f"түсініктеме {i}")) for i, w in enumerate(weights))


# --- single and multiple choice ----------------------------------------------------------------------------


def test_single_choice_earns_the_weight_of_the_option_picked() -> None:
    q = SingleChoice(id="q", prompt=kk("?"), points=2, options=options(100, 50, 0, -50))
    assert q.grade("a").points == 2
    assert q.grade("b").points == 1
    assert q.grade("c").points == 0
    assert q.grade("d").points == 0  # a negative weight costs, but never below zero
    assert q.grade(None).points == 0


def test_single_choice_shows_the_feedback_of_the_option_picked() -> None:
    q = SingleChoice(id="q", prompt=kk("?"), general_feedback=kk("жалпы"), options=options(100, 0))
    grade = q.grade("b")
    assert grade.feedback == ("option:b", "general")
    assert q.feedback_text("option:b") == kk("түсініктеме 1")
    assert grade.state == "incorrect"
    assert [p.correct for p in grade.parts] == [False, False]  # a not picked, b picked wrongly


def test_multiple_choice_adds_weights_and_wrong_picks_cost() -> None:
    q = MultipleChoice(id="q", prompt=kk("?"), points=4, options=options(50, 50, -50, -100))
    assert q.grade(("a", "b")).points == 4
    assert q.grade(("a",)).points == 2
    assert q.grade(("a", "b", "c")).points == 2
    assert q.grade(("a", "d")).points == 0  # 50 - 100 is clamped at zero
    assert q.grade(("a", "b", "c", "d")).fraction == 0
    assert q.grade(()).fraction == 0


def test_multiple_choice_counts_three_thirds_as_full_marks() -> None:
    third = 100 / 3
    q = MultipleChoice(id="q", prompt=kk("?"), options=options(third, third, third, -100))
    assert q.grade(("a", "b", "c")).fraction == 1
    rounded = MultipleChoice(id="q", prompt=kk("?"), options=options(33.33, 33.33, 33.33, 0))
    assert rounded.grade(("a", "b", "c")).state == "correct"


def test_choice_responses_are_validated_against_the_options() -> None:
    single = SingleChoice(id="q", prompt=kk("?"), options=options(100, 0))
    multiple = MultipleChoice(id="q", prompt=kk("?"), options=options(50, 50, 0))
    assert single.validate_response("b") == "b"
    assert single.validate_response(["a"]) == "a"
    assert single.validate_response("") is None
    assert multiple.validate_response(["c", "a"]) == ("a", "c")
    assert multiple.validate_response([]) is None
    with pytest.raises(InvalidResponse) as error:
        single.validate_response(["a", "b"])
    assert error.value.code == "pick_one"
    with pytest.raises(InvalidResponse) as error:
        multiple.validate_response(["a", "z"])
    assert error.value.code == "unknown_option"


# --- true/false, matching, ordering ------------------------------------------------------------------------


def test_true_false_marks_and_explains_the_answer_chosen() -> None:
    q = TrueFalse(id="q", prompt=kk("?"), answer=False, feedback_true=kk("жоқ"), feedback_false=kk("иә"))
    assert q.grade(False).fraction == 1
    assert q.grade(True).fraction == 0
    assert q.grade(True).feedback == ("true",)
    assert q.validate_response("false") is False
    assert q.validate_response("1") is True
    with pytest.raises(InvalidResponse):
        q.validate_response("maybe")


def matching() -> Matching:
    return Matching(id="q", prompt=kk("?"), pairs=(
        MatchPair(id="p1", item=kk("мысық"), match=kk("сүтқоректі")),
        MatchPair(id="p2", item=kk("ит"), match=kk("сүтқоректі")),
        MatchPair(id="p3", item=kk("бүркіт"), match=kk("құс")),
        MatchPair(id="p4", item={}, match=kk("балық")),
    ))


def test_matching_gives_a_share_per_item_and_shares_identical_choices() -> None:
    q = matching()
    # one "mammal" choice for two items, and the distractor
    assert [choice_id for choice_id, _ in q.choices()] == ["p1", "p3", "p4"]
    assert q.correct_response() == {"p1": "p1", "p2": "p1", "p3": "p3"}
    assert q.grade({"p1": "p1", "p2": "p1", "p3": "p3"}).fraction == 1
    assert q.grade({"p1": "p1", "p2": "p4"}).fraction == pytest.approx(1 / 3)
    assert q.grade(None).fraction == 0


def test_matching_response_must_name_known_items_and_choices() -> None:
    q = matching()
    assert q.validate_response({"p1": "p3", "p2": ""}) == {"p1": "p3"}
    with pytest.raises(InvalidResponse):
        q.validate_response({"p4": "p1"})  # a distractor is not an item
    with pytest.raises(InvalidResponse):
        q.validate_response({"p1": "p2"})  # p2's match is offered as choice p1


def test_ordering_credits_each_item_followed_by_its_right_successor() -> None:
    q = Ordering(id="q", prompt=kk("?"), points=3,
                 items=tuple(OrderItem(id=x, text=kk(x)) for x in ("a", "b", "c", "d")))
    assert q.grade(("a", "b", "c", "d")).points == 3
    assert q.grade(("d", "a", "b", "c")).points == 2  # a>b and b>c kept, c>d lost
    assert q.grade(("b", "a", "d", "c")).points == 0
    assert [p.key for p in q.grade(("a", "b", "c", "d")).parts] == ["a>b", "b>c", "c>d"]
    with pytest.raises(InvalidResponse):
        q.validate_response(["a", "b", "b", "d"])


# --- short answer, numeric, essay, description -------------------------------------------------------------


def test_short_answer_wildcards_and_case_follow_moodle() -> None:
    assert matches_pattern(" Астана ", "астана", case_sensitive=False)
    assert not matches_pattern("Астана", "астана", case_sensitive=True)
    assert matches_pattern("ҚАЗАҚСТАН", "қазақстан", case_sensitive=False)  # Kazakh letters fold too
    assert matches_pattern("terrorist attack", "terror*attack", case_sensitive=False)
    assert matches_pattern("5*3", "5\\*3", case_sensitive=False)
    assert not matches_pattern("513", "5\\*3", case_sensitive=False)
    assert matches_pattern("a.b", "a.b", case_sensitive=False)
    assert not matches_pattern("axb", "a.b", case_sensitive=False)  # the pattern is not a regex


def test_short_answer_takes_the_first_answer_that_matches() -> None:
    q = ShortAnswer(id="q", prompt=kk("?"), answers=(
        AcceptedAnswer(text={"kk": ("Абай",), "ru": ("Абай Кунанбаев",)}, fraction=100, feedback=kk("дұрыс")),
        AcceptedAnswer(text={"kk": ("Абай*",)}, fraction=50),
        AcceptedAnswer(text={"kk": ("*",)}, fraction=0, feedback=kk("қате")),
    ))
    assert q.grade("абай").fraction == 1
    assert q.grade("абай кунанбаев").fraction == 1  # any locale's spelling counts
    assert q.grade("Абайдың").fraction == 0.5
    assert q.grade("Шоқан").feedback == ("answer:2",)
    assert q.correct_response() == "Абай"


def test_numbers_are_read_as_people_type_them() -> None:
    assert parse_number("3,5") == 3.5
    assert parse_number(" 1 000,25 ") == 1000.25
    assert parse_number("1,000.25") == 1000.25
    assert parse_number("\u22122") == -2
    assert parse_number("1e3") == 1000
    for bad in ("abc", "1..2", "inf", "", "1,2,3.4.5"):
        with pytest.raises(InvalidResponse):
            parse_number(bad)


def test_numeric_tolerance_ranges_and_partial_answers() -> None:
    q = Numeric(id="q", prompt=kk("?"), answers=(
        NumericAnswer(value=1999, tolerance=0, fraction=100, feedback=kk("дұрыс")),
        NumericAnswer(value=2000, tolerance=5, fraction=50),
        NumericAnswer(value=None, fraction=0, feedback=kk("жоқ")),
    ))
    assert q.grade(1999).fraction == 1
    assert q.grade(2004.9).fraction == 0.5
    assert q.grade(2005).fraction == 0.5  # the tolerance is inclusive
    assert q.grade(1990).feedback == ("answer:2",)
    assert q.grade(q.validate_response("1999,0")).fraction == 1
    point = Numeric(id="q", prompt=kk("?"), answers=(NumericAnswer(value=0.3),))
    assert point.grade(0.1 + 0.2).fraction == 1  # Moodle's hair of slack for binary fractions


def test_essay_waits_for_a_trainer_and_checks_word_limits() -> None:
    q = Essay(id="q", prompt=kk("?"), points=10, min_words=3, max_words=5)
    assert q.grade("бір екі үш").needs_manual_grading
    assert q.grade("бір екі үш").state == "needs_grading"
    assert q.grade_manually(7.5).points == 7.5
    with pytest.raises(InvalidResponse):
        q.grade_manually(11)
    with pytest.raises(InvalidResponse) as error:
        q.validate_response("бір екі")
    assert error.value.code == "too_few_words"
    with pytest.raises(InvalidResponse) as error:
        q.validate_response("a b c d e f")
    assert error.value.code == "too_many_words"


def test_description_asks_nothing_and_carries_no_points() -> None:
    q = Description(id="case", prompt=kk("Жағдай"))
    assert q.points == 0
    assert q.grade(None).max_points == 0


def test_attempt_score_passes_at_the_pass_mark_and_waits_for_essays() -> None:
    single = SingleChoice(id="s", prompt=kk("?"), points=3, options=options(100, 0))
    essay = Essay(id="e", prompt=kk("?"), points=1)
    score = score_attempt([single.grade("a"), essay.grade("мәтін")], pass_mark=70)
    assert (score.points, score.max_points, score.percent, score.passed) == (3, 4, 75, True)
    undecided = score_attempt([single.grade("b"), essay.grade("мәтін")], pass_mark=20)
    assert undecided.passed is None and undecided.awaiting_grading == 1
    failed = score_attempt([single.grade("b"), essay.grade("мәтін")], pass_mark=70)
    assert failed.passed is False  # even full marks on the essay would reach only 25%


# --- properties of every type ------------------------------------------------------------------------------

ALPHABET = "абвгдеәғқңөұүһіАӘҒҚҢӨҰҮҺІжзклмнопрстуфхцчшщыэюяabcdefXYZ0123456789 .,;!?'\"()-_*#=~{}:%[]\\/<>&\n"
words = st.text(alphabet=ALPHABET, min_size=1, max_size=24).map(str.strip).filter(bool)
slugs = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True)


@st.composite
def local_texts(draw: st.DrawFn, locales: tuple[str, ...] = ("kk", "ru", "en")) -> dict[str, str]:
    """Texts in the first locale (Kazakh, unless a GIFT test asks for one other) and maybe the others."""
    chosen = locales[:1] + tuple(loc for loc in locales[1:] if draw(st.booleans()))
    return {locale: draw(words) for locale in chosen}


@st.composite
def weights_summing_to_100(draw: st.DrawFn, count: int) -> list[float]:
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=count - 1, max_size=count - 1, unique=True)))
    bounds = [0, *cuts, 100]
    return [float(b - a) for a, b in zip(bounds, bounds[1:], strict=False)]


def choice_question(draw: st.DrawFn, type_name: str, texts: st.SearchStrategy, common: dict) -> object:
    count = draw(st.integers(2, 6))
    if type_name == "single":
        others = st.sampled_from([0.0, 0.0, 50.0, 25.0, -50.0, -100.0])
        weights = draw(st.permutations([100.0] + [draw(others) for _ in range(count - 1)]))
    else:
        positives = draw(weights_summing_to_100(draw(st.integers(1, count))))
        others = st.sampled_from([0.0, -25.0, -50.0, -100.0])
        weights = draw(st.permutations(positives + [draw(others) for _ in range(count - len(positives))]))
    maybe = st.one_of(st.just({}), texts)
    opts = tuple(Option(id=chr(ord("a") + i), text=draw(texts), weight=w, feedback=draw(maybe))
                 for i, w in enumerate(weights))
    return (SingleChoice if type_name == "single" else MultipleChoice)(options=opts, **common)


def matching_question(draw: st.DrawFn, texts: st.SearchStrategy, common: dict) -> Matching:
    matches = draw(st.lists(texts, min_size=1, max_size=3))
    items = draw(st.lists(texts, min_size=2, max_size=5, unique_by=lambda t: next(iter(t.values()))))
    pairs = [(item, draw(st.sampled_from(matches))) for item in items]
    pairs += [({}, draw(texts)) for _ in range(draw(st.integers(0, 2)))]
    made = tuple(MatchPair(id=f"p{n}", item=item, match=match) for n, (item, match) in enumerate(pairs, 1))
    return Matching(pairs=made, **common)


def short_question(draw: st.DrawFn, locales: tuple[str, ...], gift_only: bool, common: dict) -> ShortAnswer:
    lower = draw(st.lists(st.sampled_from([90.0, 50.0, 20.0, 0.0]), max_size=3, unique=True))
    patterns = st.lists(words.filter(lambda w: "\n" not in w), min_size=1, max_size=3).map(tuple)
    maybe = st.one_of(st.just({}), local_texts(locales))
    answers = tuple(
        AcceptedAnswer(text={loc: draw(patterns) for loc in (locales[:1] if gift_only else locales)},
                       fraction=fraction, feedback=draw(maybe))
        for fraction in [100.0, *sorted(lower, reverse=True)]
    )
    case_sensitive = False if gift_only else draw(st.booleans())
    return ShortAnswer(answers=answers, case_sensitive=case_sensitive, **common)


def numeric_question(draw: st.DrawFn, texts: st.SearchStrategy, common: dict) -> Numeric:
    values = st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 3))
    maybe = st.one_of(st.just({}), texts)
    answers = [NumericAnswer(value=draw(values), tolerance=draw(st.sampled_from([0.0, 0.5, 2.0])),
                             feedback=draw(maybe))]
    answers += [NumericAnswer(value=draw(values), tolerance=draw(st.sampled_from([0.0, 1.0, 10.0])),
                              fraction=draw(st.sampled_from([50.0, 25.0])), feedback=draw(maybe))
                for _ in range(draw(st.integers(0, 2)))]
    if draw(st.booleans()):
        answers.append(NumericAnswer(value=None, fraction=0.0, feedback=draw(maybe)))
    return Numeric(answers=tuple(answers), **common)


@st.composite
def questions(draw: st.DrawFn, type_name: str | None = None, locales: tuple[str, ...] = ("kk", "ru", "en"),
              gift_only: bool = False) -> object:
    """A valid question of any type; ``gift_only`` keeps to what GIFT carries (one locale, 1 point, ...)."""
    type_name = type_name or draw(st.sampled_from(sorted(QUESTION_TYPES)))
    texts = local_texts(locales)
    common = {"id": draw(slugs), "prompt": draw(texts),
              "general_feedback": draw(st.one_of(st.just({}), texts)),
              "points": 1.0 if gift_only else draw(st.sampled_from([0.5, 1.0, 2.0, 5.0]))}
    if type_name in ("single", "multiple"):
        return choice_question(draw, type_name, texts, common)
    if type_name == "truefalse":
        maybe = st.one_of(st.just({}), texts)
        return TrueFalse(answer=draw(st.booleans()), feedback_true=draw(maybe), feedback_false=draw(maybe),
                         **common)
    if type_name == "matching":
        return matching_question(draw, texts, common)
    if type_name == "ordering":
        count = draw(st.integers(2, 6))
        items = tuple(OrderItem(id=chr(ord("a") + i), text=draw(texts)) for i in range(count))
        return Ordering(items=items, **common)
    if type_name == "short":
        question = short_question(draw, locales, gift_only, common)
        assume(question.correct_response() is not None)
        return question
    if type_name == "numeric":
        return numeric_question(draw, texts, common)
    if type_name == "essay":
        low = None if gift_only else draw(st.one_of(st.none(), st.integers(1, 50)))
        high = None if low is None else low + draw(st.integers(0, 300))
        hint = {} if gift_only else draw(st.one_of(st.just({}), texts))
        return Essay(min_words=low, max_words=high, rubric_hint=hint, **common)
    general = {} if gift_only else common["general_feedback"]  # GIFT has no place for it
    return Description(**{**common, "points": 0.0, "general_feedback": general})


def any_response(question: object) -> st.SearchStrategy[object]:
    """Every response shape a grade() accepts, including nonsense ids and numbers."""
    if isinstance(question, SingleChoice):
        return st.one_of(st.none(), st.sampled_from([o.id for o in question.options] + ["zz"]))
    if isinstance(question, MultipleChoice):
        return st.lists(st.sampled_from([o.id for o in question.options] + ["zz"]), unique=True).map(tuple)
    if isinstance(question, TrueFalse):
        return st.one_of(st.none(), st.booleans())
    if isinstance(question, Matching):
        choice_ids = [c for c, _ in question.choices()]
        return st.dictionaries(st.sampled_from([p.id for p in question.items]), st.sampled_from(choice_ids))
    if isinstance(question, Ordering):
        return st.permutations([i.id for i in question.items]).map(tuple)
    if isinstance(question, Numeric):
        return st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))
    return st.one_of(st.none(), words)


@PROPERTY
@given(st.data())
def test_every_score_lies_between_nothing_and_the_question_points(data: st.DataObject) -> None:
    question = data.draw(questions())
    grade = question.grade(data.draw(any_response(question)))
    assert grade.max_points == question.points
    if grade.points is not None:
        assert 0 <= grade.points <= question.points
        assert all(question.feedback_text(key) for key in grade.feedback)


@PROPERTY
@given(questions())
def test_the_correct_response_scores_full_marks(question: object) -> None:
    if not question.auto_graded:
        return
    grade = question.grade(question.correct_response())
    assert grade.points == question.points
    assert all(part.correct for part in grade.parts)


@PROPERTY
@given(questions())
def test_writing_a_question_to_quiz_yaml_and_reading_it_back_changes_nothing(question: object) -> None:
    read, problems = from_courseware(to_courseware(question))
    assert [p for p in problems if not p.is_warning] == []
    assert read == question
