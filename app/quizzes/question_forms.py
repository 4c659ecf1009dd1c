"""Trainers' forms for a question of each type, read into and out of the definition quiz.yaml uses.

``build_question_form(type_name, definition)`` gives the form of a type, filled from a stored definition (plus
blank rows for new options); ``form.definition()`` reads it back. Blank rows are dropped; option, pair and item
ids are kept across edits (hidden fields) so that attempts, regrades and statistics keep recognising them.
The final check is the question type's own reader, so the web accepts exactly what quiz.yaml accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from app.config import LOCALES
from app.quizzes.questions import from_courseware

TYPE_LABELS = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "truefalse": _l("True or false"),
    "matching": _l("Matching"),
    "ordering": _l("Ordering"),
    "short": _l("Short answer"),
    "numeric": _l("Numeric"),
    "essay": _l("Essay"),
    "description": _l("Description (no answer)"),
}
BLANK_ROWS = 2
MIN_ROWS = {"options": 3, "pairs": 3, "items": 3, "answers": 2}


class _Texts(Form):
    """One text per language; Kazakh is required where the text is (checked by the question reader)."""

    kk = TextAreaField(_l("Kazakh"), render_kw={"lang": "kk", "rows": 3})
    ru = TextAreaField(_l("Russian"), render_kw={"lang": "ru", "rows": 3})
    en = TextAreaField(_l("English"), render_kw={"lang": "en", "rows": 3})

    def texts(self) -> dict[str, str]:
        return {locale: self[locale].data.strip() for locale in LOCALES if (self[locale].data or "").strip()}


class _Line(_Texts):
    kk = StringField(_l("Kazakh"), render_kw={"lang": "kk"})
    ru = StringField(_l("Russian"), render_kw={"lang": "ru"})
    en = StringField(_l("English"), render_kw={"lang": "en"})


def _texts(field: FormField) -> dict[str, str]:
    return field.form.texts()


def _shown(number: float | None) -> Decimal | None:
    """A stored number as a trainer typed it (1 rather than 1.0), without losing a digit."""
    if number is None:
        return None
    text = repr(float(number))
    return Decimal(text.removesuffix(".0") if "e" not in text else text)


class OptionRow(Form):
    id = HiddenField()
    text = FormField(_Line, label=_l("Option"))
    correct = BooleanField(_l("Correct"))
    weight = DecimalField(_l("Or credit in percent (-100 to 100)"), places=None, validators=[
        Optional(), NumberRange(min=-100, max=100, message=_l("Give a percent between -100 and 100."))])
    feedback = FormField(_Line, label=_l("Feedback for this option"))

    def is_blank(self) -> bool:
        return not _texts(self.text) and not _texts(self.feedback)


class PairRow(Form):
    id = HiddenField()
    item = FormField(_Line, label=_l("Item (leave empty for an extra choice)"))
    match = FormField(_Line, label=_l("Its match"))

    def is_blank(self) -> bool:
        return not _texts(self.item) and not _texts(self.match)


class ItemRow(Form):
    id = HiddenField()
    text = FormField(_Line, label=_l("Item"))

    def is_blank(self) -> bool:
        return not _texts(self.text)


class ShortAnswerRow(Form):
    text = FormField(_Texts, label=_l("Accepted spellings, one per line (* matches anything)"))
    fraction = DecimalField(_l("Credit in percent"), default=100, places=None, validators=[
        Optional(), NumberRange(min=0, max=100, message=_l("Give a percent between 0 and 100."))])
    feedback = FormField(_Line, label=_l("Feedback for this answer"))

    def is_blank(self) -> bool:
        return not _texts(self.text)


class NumericAnswerRow(Form):
    value = StringField(_l("Number (or * for any other number)"))
    tolerance = DecimalField(_l("Tolerance (±)"), places=None, validators=[
        Optional(), NumberRange(min=0, message=_l("The tolerance cannot be negative."))])
    fraction = DecimalField(_l("Credit in percent"), default=100, places=None, validators=[
        Optional(), NumberRange(min=0, max=100, message=_l("Give a percent between 0 and 100."))])
    feedback = FormField(_Line, label=_l("Feedback for this answer"))

    def is_blank(self) -> bool:
        return not (self.value.data or "").strip()


class QuestionForm(FlaskForm):
    """What every type has; subclasses add their rows and say how to read and fill them."""

    type_name = ""
    rows_field: str | None = None

    points = DecimalField(_l("Points"), default=1, places=None, validators=[
        InputRequired(message=_l("This field is required.")),
        NumberRange(min=0.01, max=1000, message=_l("Give points between 0.01 and 1000."))])
    prompt = FormField(_Texts, label=_l("Question text (Markdown)"))
    general_feedback = FormField(_Texts, label=_l("General feedback (Markdown), shown with the answer"))
    add_row = SubmitField(_l("Add a row"))
    save = SubmitField(_l("Save the question"))

    def definition(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": self.type_name, "points": float(self.points.data or 0),
                                  "prompt": _texts(self.prompt)}
        if _texts(self.general_feedback):
            result["general_feedback"] = _texts(self.general_feedback)
        result.update(self.type_definition())
        return result

    def type_definition(self) -> dict[str, Any]:
        return {}

    def fill(self, definition: Mapping[str, Any]) -> None:
        """Set the fields from a stored definition (GET only)."""
        self.points.data = _shown(definition.get("points", 1))
        self.prompt.form.process(data=definition.get("prompt") or {})
        self.general_feedback.form.process(data=definition.get("general_feedback") or {})
        self.fill_type(definition)

    def fill_type(self, definition: Mapping[str, Any]) -> None:
        pass

    def live_rows(self) -> list[Any]:
        if self.rows_field is None:
            return []
        return [entry.form for entry in self[self.rows_field] if not entry.form.is_blank()]

    def pad_rows(self) -> None:
        """Blank rows after the filled ones, for new options without JavaScript."""
        if self.rows_field is None:
            return
        rows = self[self.rows_field]
        while len(rows) < max(MIN_ROWS[self.rows_field], len(self.live_rows()) + BLANK_ROWS):
            rows.append_entry()

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not _texts(self.prompt).get("kk"):
            self.form_errors.append(_("Write the question text in Kazakh at least."))
            return False
        problems = from_courseware({"id": "question", **self.definition()})[1]
        errors = [_where(p) for p in problems if not p.is_warning]
        if errors:
            self.form_errors.extend(_("The question cannot be saved: %(reason)s", reason=e) for e in errors)
            return False
        return True


def _where(problem: Any) -> str:
    where = problem.where.removeprefix("question question").lstrip(", ")
    return f"{where}: {problem.message}" if where else problem.message


def _free_id(taken: set[str], prefix: str = "") -> str:
    candidates = [f"{prefix}{c}" for c in "abcdefghijklmnopqrstuvwxyz"] if not prefix else []
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    number = len(taken) + 1
    while f"{prefix or 'o'}{number}" in taken:
        number += 1
    return f"{prefix or 'o'}{number}"


def _ids(rows: list[Any], prefix: str = "") -> list[str]:
    taken = {row.id.data for row in rows if row.id.data}
    ids = []
    for row in rows:
        if not row.id.data:
            row.id.data = _free_id(taken, prefix)
            taken.add(row.id.data)
        ids.append(row.id.data)
    return ids


class ChoiceForm(QuestionForm):
    rows_field = "options"
    options = FieldList(FormField(OptionRow), min_entries=0)

    def type_definition(self) -> dict[str, Any]:
        rows = self.live_rows()
        use_weights = any(row.weight.data is not None for row in rows)
        options = []
        for option_id, row in zip(_ids(rows), rows, strict=True):
            option: dict[str, Any] = {"id": option_id, "text": _texts(row.text)}
            if use_weights:
                option["weight"] = float(row.weight.data or 0)
            else:
                option["correct"] = bool(row.correct.data)
            if _texts(row.feedback):
                option["feedback"] = _texts(row.feedback)
            options.append(option)
        return {"options": options}

    def fill_type(self, definition: Mapping[str, Any]) -> None:
        for option in definition.get("options", []):
            self.options.append_entry({
                "id": option["id"], "text": option.get("text", {}), "feedback": option.get("feedback", {}),
                "correct": option.get("correct", option.get("weight", 0) > 0),
                "weight": _shown(option.get("weight")),
            })


class SingleForm(ChoiceForm):
    type_name = "single"


class MultipleForm(ChoiceForm):
    type_name = "multiple"


class TrueFalseForm(QuestionForm):
    type_name = "truefalse"
    answer = RadioField(_l("The statement is"), default="true",
                        choices=[SelectChoice("true", _l("True")), SelectChoice("false", _l("False"))])
    feedback_true = FormField(_Line, label=_l("Feedback when the learner answers “true”"))
    feedback_false = FormField(_Line, label=_l("Feedback when the learner answers “false”"))

    def type_definition(self) -> dict[str, Any]:
        result: dict[str, Any] = {"answer": self.answer.data == "true"}
        for key in ("feedback_true", "feedback_false"):
            if _texts(self[key]):
                result[key] = _texts(self[key])
        return result

    def fill_type(self, definition: Mapping[str, Any]) -> None:
        self.answer.data = "true" if definition.get("answer") else "false"
        self.feedback_true.form.process(data=definition.get("feedback_true") or {})
        self.feedback_false.form.process(data=definition.get("feedback_false") or {})


class MatchingForm(QuestionForm):
    type_name = "matching"
    rows_field = "pairs"
    pairs = FieldList(FormField(PairRow), min_entries=0)

    def type_definition(self) -> dict[str, Any]:
        rows = self.live_rows()
        pairs = []
        for pair_id, row in zip(_ids(rows, "p"), rows, strict=True):
            pair: dict[str, Any] = {"id": pair_id, "match": _texts(row.match)}
            if _texts(row.item):
                pair["item"] = _texts(row.item)
            pairs.append(pair)
        return {"pairs": pairs}

    def fill_type(self, definition: Mapping[str, Any]) -> None:
        for number, pair in enumerate(definition.get("pairs", []), start=1):
            self.pairs.append_entry({"id": pair.get("id", f"p{number}"), "item": pair.get("item", {}),
                                     "match": pair.get("match", {})})


class OrderingForm(QuestionForm):
    type_name = "ordering"
    rows_field = "items"
    items = FieldList(FormField(ItemRow, label=_l("Items in the right order")), min_entries=0)

    def type_definition(self) -> dict[str, Any]:
        rows = self.live_rows()
        return {"items": [{"id": item_id, "text": _texts(row.text)}
                          for item_id, row in zip(_ids(rows, "i"), rows, strict=True)]}

    def fill_type(self, definition: Mapping[str, Any]) -> None:
        for item in definition.get("items", []):
            self.items.append_entry({"id": item["id"], "text": item.get("text", {})})


def _spellings(texts: Mapping[str, str]) -> dict[str, list[str]]:
    return {locale: [line.strip() for line in text.splitlines() if line.strip()] for locale, text in texts.items()}


class ShortForm(QuestionForm):
    type_name = "short"
    rows_field = "answers"
    case_sensitive = BooleanField(_l("Letter case matters"))
    answers = FieldList(FormField(ShortAnswerRow), min_entries=0)

    def type_definition(self) -> dict[str, Any]:
        answers = []
        for row in self.live_rows():
            answer: dict[str, Any] = {"text": _spellings(_texts(row.text)),
                                      "fraction": float(100 if row.fraction.data is None else row.fraction.data)}
            if _texts(row.feedback):
                answer["feedback"] = _texts(row.feedback)
            answers.append(answer)
        return {"case_sensitive": bool(self.case_sensitive.data), "answers": answers}

    def fill_type(self, definition: Mapping[str, Any]) -> None:
        self.case_sensitive.data = bool(definition.get("case_sensitive"))
        for answer in definition.get("answers", []):
            self.answers.append_entry({"text": {k: "\n".join(v) for k, v in answer.get("text", {}).items()},
                                       "fraction": _shown(answer.get("fraction", 100)),
                                       "feedback": answer.get("feedback", {})})


class NumericForm(QuestionForm):
    type_name = "numeric"
    rows_field = "answers"
    answers = FieldList(FormField(NumericAnswerRow), min_entries=0)

    def type_definition(self) -> dict[str, Any]:
        answers = []
        for row in self.live_rows():
            raw = row.value.data.strip()
            answer: dict[str, Any]
            if raw == "*":
                answer = {"value": "*", "fraction": 0.0}
            else:
                answer = {"value": _number(raw), "tolerance": float(row.tolerance.data or 0),
                          "fraction": float(100 if row.fraction.data is None else row.fraction.data)}
            if _texts(row.feedback):
                answer["feedback"] = _texts(row.feedback)
            answers.append(answer)
        return {"answers": answers}

    def fill_type(self, definition: Mapping[str, Any]) -> None:
        for answer in definition.get("answers", []):
            value = answer.get("value")
            self.answers.append_entry({"value": "*" if value == "*" else str(_shown(value)),
                                       "tolerance": _shown(answer.get("tolerance")),
                                       "fraction": _shown(answer.get("fraction")),
                                       "feedback": answer.get("feedback", {})})


def _number(raw: str) -> float | str:
    """A number typed with a comma or a dot; text that is no number is passed on for the reader to refuse."""
    try:
        return float(raw.replace(",", ".").replace(" ", ""))
    except ValueError:
        return raw


class EssayForm(QuestionForm):
    type_name = "essay"
    min_words = IntegerField(_l("At least this many words"), validators=[
        Optional(), NumberRange(min=1, message=_l("Give a whole number above 0."))])
    max_words = IntegerField(_l("At most this many words"), validators=[
        Optional(), NumberRange(min=1, message=_l("Give a whole number above 0."))])
    rubric_hint = FormField(_Texts, label=_l("What graders look for (shown to trainers)"))

    def type_definition(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key in ("min_words", "max_words"):
            if self[key].data:
                result[key] = self[key].data
        if _texts(self.rubric_hint):
            result["rubric_hint"] = _texts(self.rubric_hint)
        return result

    def fill_type(self, definition: Mapping[str, Any]) -> None:
        self.min_words.data = definition.get("min_words")
        self.max_words.data = definition.get("max_words")
        self.rubric_hint.form.process(data=definition.get("rubric_hint") or {})


class DescriptionForm(QuestionForm):
    type_name = "description"
    points = HiddenField(default="0")

    def definition(self) -> dict[str, Any]:
        return {"type": "description", "prompt": _texts(self.prompt)}


QUESTION_FORMS: dict[str, type[QuestionForm]] = {
    form.type_name: form for form in (SingleForm, MultipleForm, TrueFalseForm, MatchingForm, OrderingForm,
                                      ShortForm, NumericForm, EssayForm, DescriptionForm)
}


def build_question_form(type_name: str, definition: Mapping[str, Any] | None = None) -> QuestionForm:
    """The form of ``type_name``: from the request when posted, else filled from ``definition``."""
    form = QUESTION_FORMS[type_name]()
    if form.is_submitted():
        if form.add_row.data and form.rows_field:
            form[form.rows_field].append_entry()
        return form
    if definition is not None:
        form.fill(definition)
    form.pad_rows()
    return form
