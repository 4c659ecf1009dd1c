"""Answers between the form and the grader: what is saved, what counts."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from app.quizzes.arrangement_types import Matching, MatchPair, Ordering, OrderItem
from app.quizzes.grading import InvalidResponse
from app.quizzes.questions import Essay, MultipleChoice, Numeric, NumericAnswer, Option, SingleChoice
from app.quizzes.responses import (
    MAX_RAW_LENGTH,
    is_answered,
    raw_from_form,
    raw_of_response,
    response_of,
    safe_response,
)


def kk(text: str) -> dict[str, str]:
    return {"kk": text}


SINGLE = SingleChoice(id="s", prompt=kk("?"), options=(Option(id="a", text=kk("A"), weight=100),
                                                      Option(id="b", text=kk("B"))))
MULTIPLE = MultipleChoice(id="m", prompt=kk("?"), options=(Option(id="a", text=kk("A"), weight=50),
                                                          Option(id="b", text=kk("B"), weight=50),
                                                          Option(id="c", text=kk("C"), weight=-100)))
MATCHING = Matching(id="p", prompt=kk("?"), pairs=(MatchPair(id="x", item=kk("X"), match=kk("1")),
                                                   MatchPair(id="y", item=kk("Y"), match=kk("2")),
                                                   MatchPair(id="z", item={}, match=kk("3"))))
ORDERING = Ordering(id="o", prompt=kk("?"), items=(OrderItem(id="first", text=kk("1")),
                                                   OrderItem(id="second", text=kk("2")),
                                                   OrderItem(id="third", text=kk("3"))))
NUMERIC = Numeric(id="n", prompt=kk("?"), answers=(NumericAnswer(value=1999),))


def test_each_type_reads_its_fields_from_the_form():
    form = MultiDict([("q0", "a"), ("q1", "a"), ("q1", "b"), ("q2-x", "y"), ("q2-y", ""),
                      ("q3-first", "2"), ("q3-second", "1"), ("q3-third", "3")])
    assert raw_from_form(SINGLE, 0, form) == "a"
    assert raw_from_form(MULTIPLE, 1, form) == ["a", "b"]
    assert raw_from_form(MATCHING, 2, form) == {"x": "y", "y": ""}
    assert raw_from_form(ORDERING, 3, form) == {"first": "2", "second": "1", "third": "3"}
    assert raw_from_form(SINGLE, 9, form) == ""


def test_an_ordering_answer_is_positions_that_become_an_order():
    assert response_of(ORDERING, {"first": "2", "second": "1", "third": "3"}) == ("second", "first", "third")
    assert response_of(ORDERING, {"first": "", "second": "", "third": ""}) is None
    for broken in ({"first": "1", "second": "1", "third": "3"}, {"first": "1", "second": "x", "third": "2"},
                   {"first": "1", "second": "2"}):
        with pytest.raises(InvalidResponse) as raised:
            response_of(ORDERING, broken)
        assert raised.value.code == "not_an_order"


def test_a_saved_answer_that_cannot_count_gives_its_reason_and_no_response():
    assert safe_response(NUMERIC, "3,5") == (3.5, None)
    assert safe_response(NUMERIC, "three") == (None, "not_a_number")
    essay = Essay(id="e", prompt=kk("?"), min_words=5)
    assert safe_response(essay, "too short") == (None, "too_few_words")
    assert safe_response(MATCHING, {"x": "nope"}) == (None, "unknown_choice")


def test_blank_answers_are_not_answered_and_text_is_capped():
    assert not is_answered("") and not is_answered([]) and not is_answered({"x": "", "y": " "})
    assert is_answered({"x": "y"}) and is_answered("0")
    flood = MultiDict([("q0", "w " * MAX_RAW_LENGTH)])
    assert len(raw_from_form(Essay(id="e", prompt=kk("?")), 0, flood)) == MAX_RAW_LENGTH


def test_a_response_written_back_as_form_data_reads_the_same():
    for question, response in [(ORDERING, ("third", "first", "second")), (MULTIPLE, ("a", "b")),
                               (NUMERIC, 1999.0), (SINGLE, "b")]:
        assert response_of(question, raw_of_response(question, response)) == response
