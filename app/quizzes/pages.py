"""What the attempt, summary and review pages show: view dataclasses built from an attempt and its versions.

Nothing here reads the database; the views pass what the services loaded. What a learner may see of marks,
feedback and correct answers is decided by ``rules.visibility`` and applied here, in one place, so a template
cannot show a correct answer the settings hide: hidden things are simply not in the view.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from app.html import safe
from app.i18n import Localized, pick
from app.quizzes.grading import Grade, QuestionBase
from app.quizzes.rendering import html_question, source_question
from app.quizzes.responses import is_answered, safe_response
from app.quizzes.rules import Visibility, mark_slots, paginate, question_numbers, visibility

ALL_VISIBLE = Visibility(marks=True, feedback=True, correct=True)


def response_error(code: str | None, question: QuestionBase, raw: Any) -> str | None:
    """Why a saved answer cannot count, in the learner's language."""
    if code is None:
        return None
    if code in ("too_few_words", "too_many_words"):
        words = len(str(raw or "").split())
        limit = question.min_words if code == "too_few_words" else question.max_words  # type: ignore[attr-defined]
        template = (_("Write at least %(limit)d words (now %(words)d).", limit=limit, words=words)
                    if code == "too_few_words" else
                    _("Write at most %(limit)d words (now %(words)d).", limit=limit, words=words))
        return template
    messages = {
        "not_a_number": _("Type a number, for example 12 or 3,5."),
        "not_an_order": _("Give every item a different position, from 1 to %(count)d.",
                          count=len(getattr(question, "items", ()))),
        "pick_one": _("Pick one option."),
    }
    return messages.get(code, _("This answer could not be read. Please answer again."))


@dataclass(frozen=True)
class ChoiceView:
    """An option (or a matching choice, or true/false) as shown: HTML text, picked, and what may be shown."""

    id: str
    html: Markup
    picked: bool = False
    right: bool | None = None  # None: the correct answer is not shown
    feedback: Markup | None = None


@dataclass(frozen=True)
class ItemView:
    """A matching item or an ordering item: its text, the learner's choice or position, and its key."""

    id: str
    html: Markup
    value: str = ""
    right: bool | None = None
    answer: str | None = None  # the right match (plain text), when correct answers are shown


@dataclass(frozen=True)
class ReviewView:
    state: str | None  # correct / partial / incorrect / needs_grading, when marks are shown
    points: float | None
    max_points: float
    feedback: tuple[Markup, ...] = ()
    correct_text: str | None = None
    correct_order: tuple[Markup, ...] = ()
    comment: str | None = None


@dataclass(frozen=True)
class SlotView:
    slot: int
    number: int | None
    kind: str
    prompt: Localized
    choices: tuple[ChoiceView, ...] = ()
    items: tuple[ItemView, ...] = ()
    value: Any = None
    answered: bool = False
    error: str | None = None
    locked: bool = False
    review: ReviewView | None = None
    question: QuestionBase | None = field(default=None, compare=False)


def _text(texts: Mapping[str, str] | None) -> Markup:
    return safe(pick(texts).value)  # question HTML was rendered and sanitized by app.html on save


def _plain(texts: Mapping[str, str] | None) -> str:
    return _text(texts).striptags()


def _shown_feedback(texts: Mapping[str, str] | None, picked: bool, seen: Visibility | None) -> Markup | None:
    if not texts or seen is None or not ((seen.feedback and picked) or seen.correct):
        return None
    return _text(texts)


def _ordered(ids: Sequence[str], order: Sequence[str]) -> list[str]:
    """The ids in the order the attempt drew them (the definition's order for any not drawn)."""
    known = [i for i in order if i in ids]
    return known + [i for i in ids if i not in known]


def _choices(question: QuestionBase, order: Sequence[str], raw: Any, seen: Visibility | None) -> tuple:
    kind = question.type_name
    if kind in ("single", "multiple"):
        options = {o.id: o for o in question.options}  # type: ignore[attr-defined]
        picked = set(raw) if isinstance(raw, list) else {raw}
        best = max(o.weight for o in options.values())
        views = []
        for option_id in _ordered(list(options), order):
            option = options[option_id]
            right = (option.weight > 0 if kind == "multiple" else option.weight == best)
            views.append(ChoiceView(option.id, _text(option.text), option.id in picked,
                                    right if seen and seen.correct else None,
                                    _shown_feedback(option.feedback, option.id in picked, seen)))
        return tuple(views)
    if kind == "truefalse":
        texts = {"true": (_("True"), question.feedback_true), "false": (_("False"), question.feedback_false)}  # type: ignore[attr-defined]
        right = "true" if question.answer else "false"  # type: ignore[attr-defined]
        return tuple(ChoiceView(key, Markup.escape(label), raw == key,
                                (key == right) if seen and seen.correct else None,
                                _shown_feedback(feedback, raw == key, seen))
                     for key, (label, feedback) in texts.items())
    if kind == "matching":
        offered = dict(question.choices())  # type: ignore[attr-defined]
        return tuple(ChoiceView(c, Markup.escape(_plain(offered[c]))) for c in _ordered(list(offered), order))
    return ()


def _items(question: QuestionBase, order: Sequence[str], raw: Any, seen: Visibility | None) -> tuple:
    given = raw if isinstance(raw, Mapping) else {}
    if question.type_name == "matching":
        offered = dict(question.choices())  # type: ignore[attr-defined]
        views = []
        for pair in question.items:  # type: ignore[attr-defined]
            right_choice = question.right_choice(pair)  # type: ignore[attr-defined]
            value = str(given.get(pair.id, ""))
            views.append(ItemView(pair.id, _text(pair.item), value,
                                  (value == right_choice) if seen and seen.marks else None,
                                  _plain(offered[right_choice]) if seen and seen.correct else None))
        return tuple(views)
    if question.type_name == "ordering":
        items = {item.id: item for item in question.items}  # type: ignore[attr-defined]
        return tuple(ItemView(i, _text(items[i].text), str(given.get(i, ""))) for i in _ordered(list(items), order))
    return ()


def _correct_text(question: QuestionBase) -> str | None:
    if question.type_name == "short":
        return question.correct_response()
    if question.type_name == "numeric":
        answer = next((a for a in question.answers if a.value is not None and a.fraction >= 100), None)  # type: ignore[attr-defined]
        if answer is None:
            return None
        return f"{answer.value:g}" + (f" ± {answer.tolerance:g}" if answer.tolerance else "")
    return None


def _inline_keys(question: QuestionBase) -> bool:
    return question.type_name in ("single", "multiple", "truefalse")


def review_of(question: QuestionBase, grade: Grade, seen: Visibility, comment: str | None = None) -> ReviewView:
    feedback: tuple[Markup, ...] = ()
    if seen.feedback:
        keys = [k for k in grade.feedback
                if not (_inline_keys(question) and (k.startswith("option:") or k in ("true", "false")))]
        feedback = tuple(_text(question.feedback_text(k)) for k in keys if question.feedback_text(k))
    correct_order: tuple[Markup, ...] = ()
    if seen.correct and question.type_name == "ordering":
        correct_order = tuple(_text(item.text) for item in question.items)  # type: ignore[attr-defined]
    return ReviewView(
        state=grade.state if seen.marks else None,
        points=grade.points if seen.marks else None,
        max_points=grade.max_points,
        feedback=feedback,
        correct_text=_correct_text(question) if seen.correct else None,
        correct_order=correct_order,
        comment=comment if seen.marks else None,
    )


def slot_view(slot: int, number: int | None, question: QuestionBase, order: Sequence[str], raw: Any, *,
              locked: bool = False, seen: Visibility | None = None, grade: Grade | None = None,
              comment: str | None = None) -> SlotView:
    """One question as the page shows it: answering (``seen`` None) or under review."""
    _, code = safe_response(question, raw)
    return SlotView(
        slot=slot, number=number, kind=question.type_name, prompt=pick(question.prompt),
        choices=_choices(question, order, raw, seen), items=_items(question, order, raw, seen),
        value=raw if isinstance(raw, str) else "", answered=is_answered(raw),
        error=response_error(code, question, raw), locked=locked,
        review=review_of(question, grade, seen, comment) if seen is not None and grade is not None else None,
        question=question,
    )


@dataclass(frozen=True)
class PageLink:
    index: int
    numbers: tuple[int, ...]
    answered: bool
    current: bool


@dataclass(frozen=True)
class AttemptPage:
    attempt_id: int
    quiz_title: Localized
    page: int
    page_count: int
    slots: tuple[SlotView, ...]
    links: tuple[PageLink, ...]
    deadline: datetime | None
    seconds_left: int | None
    can_check: bool

    @property
    def is_last(self) -> bool:
        return self.page == self.page_count - 1


def page_links(pages: Sequence[Sequence[int]], kinds: Sequence[str], answers: Mapping[str, Any],
               current: int) -> tuple[PageLink, ...]:
    numbers = question_numbers([k == "description" for k in kinds])
    links = []
    for index, slots in enumerate(pages):
        asked = [s for s in slots if kinds[s] != "description"]
        links.append(PageLink(index, tuple(numbers[s] for s in asked if numbers[s]),
                              all(is_answered(answers.get(str(s))) for s in asked), index == current))
    return tuple(links)


@dataclass(frozen=True)
class SummaryRow:
    number: int
    page: int
    answered: bool
    error: str | None


def summary_rows(questions: Sequence[QuestionBase], pages: Sequence[Sequence[int]],
                 answers: Mapping[str, Any]) -> list[SummaryRow]:
    numbers = question_numbers([q.type_name == "description" for q in questions])
    page_of = {slot: index for index, slots in enumerate(pages) for slot in slots}
    rows = []
    for slot, question in enumerate(questions):
        if numbers[slot] is None:
            continue
        raw = answers.get(str(slot))
        _, code = safe_response(question, raw)
        rows.append(SummaryRow(numbers[slot], page_of[slot], is_answered(raw), response_error(code, question, raw)))
    return rows


def seconds_left(deadline: datetime | None, now: datetime) -> int | None:
    return None if deadline is None else max(0, int((deadline - now).total_seconds()))


# --- whole pages ---------------------------------------------------------------------------------------------------


def attempt_page(attempt: Any, versions: Sequence[Any], page: int, *, now: datetime) -> AttemptPage:
    """A page of an attempt in progress; checked questions (feedback after each) show their review."""
    settings = attempt.quiz.quiz_settings
    shown = [html_question(v) for v in versions]
    kinds = [q.type_name for q in shown]
    pages = paginate([k == "description" for k in kinds], attempt.quiz.questions_per_page)
    page = min(max(page, 0), len(pages) - 1)
    numbers = question_numbers([k == "description" for k in kinds])
    slots = []
    for slot in pages[page]:
        raw = attempt.answers.get(str(slot))
        checked = slot in attempt.checked
        seen = visibility(settings, finished=False, exhausted=False, checked=True) if checked else None
        grade = source_question(versions[slot]).grade(safe_response(source_question(versions[slot]), raw)[0])
        slots.append(slot_view(slot, numbers[slot], shown[slot], attempt.slots[slot]["order"], raw,
                               locked=checked, seen=seen, grade=grade if checked else None))
    return AttemptPage(
        attempt_id=attempt.id, quiz_title=pick(attempt.quiz.title), page=page, page_count=len(pages),
        slots=tuple(slots), links=page_links(pages, kinds, attempt.answers, page), deadline=attempt.deadline,
        seconds_left=seconds_left(attempt.deadline, now), can_check=settings.feedback == "after_each",
    )


def review_slots(attempt: Any, versions: Sequence[Any], manual: Mapping[int, Any], *,
                 exhausted: bool, everything: bool = False) -> list[SlotView]:
    """Every question of a finished attempt, showing what the settings allow (everything, for trainers)."""
    settings = attempt.quiz.quiz_settings
    sources = [source_question(v) for v in versions]
    grades = mark_slots(sources, attempt.answers, {s: g.points for s, g in manual.items()})
    numbers = question_numbers([q.type_name == "description" for q in sources])
    views = []
    for slot, version in enumerate(versions):
        seen = ALL_VISIBLE if everything else visibility(
            settings, finished=True, exhausted=exhausted, checked=slot in attempt.checked)
        comment = manual[slot].comment if slot in manual else None
        views.append(slot_view(slot, numbers[slot], html_question(version), attempt.slots[slot]["order"],
                               attempt.answers.get(str(slot)), locked=True, seen=seen, grade=grades[slot],
                               comment=comment))
    return views


def preview_slots(versions: Sequence[Any]) -> list[SlotView]:
    """Questions as a learner first sees them (nothing answered), numbered, in the given order."""
    shown = [html_question(v) for v in versions]
    numbers = question_numbers([q.type_name == "description" for q in shown])
    return [slot_view(slot, numbers[slot], question, (), None) for slot, question in enumerate(shown)]


def grading_error(error: Any) -> str:
    if error.code == "points_out_of_range":
        return _("The points must be between 0 and the question's points.")
    return _("This answer cannot be graded.")
