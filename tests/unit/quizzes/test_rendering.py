"""Question definitions rendered once to safe HTML, hashed, and parsed once per content."""

from __future__ import annotations

import pytest

from app.quizzes.exchange import merge_translation
from app.quizzes.rendering import DefinitionError, canonical, content_hash, parse_cached, render_definition

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> [click](javascript:alert(3)) **bold**'
DEFINITION = {
    "id": "q1", "type": "single", "points": 1,
    "prompt": {"kk": HOSTILE, "ru": "Вопрос"},
    "options": [
        {"id": "a", "text": {"kk": "*Иә* <b onmouseover=x>"}, "correct": True, "feedback": {"kk": "Дұрыс."}},
        {"id": "b", "text": {"kk": "Жоқ"}},
    ],
}


def test_every_text_is_sanitized_and_option_texts_are_inline():
    html = render_definition(canonical(DEFINITION))
    prompt = html["prompt"]["kk"]
    assert "<script" not in prompt and "<img" not in prompt and 'href="javascript' not in prompt
    assert "&lt;script&gt;" in prompt  # shown as the text it is
    assert "<strong>bold</strong>" in prompt and prompt.startswith("<p>")
    option = html["options"][0]
    assert option["text"]["kk"] == "<em>Иә</em> &lt;b onmouseover=x&gt;"
    assert option["feedback"]["kk"] == "<p>Дұрыс.</p>"


def test_short_answer_spellings_are_kept_as_typed():
    short = canonical({"id": "s", "type": "short", "prompt": {"kk": "?"},
                       "answers": [{"text": {"kk": ["*АТЦ*"]}, "fraction": 100}]})
    assert render_definition(short)["answers"][0]["text"] == {"kk": ["*АТЦ*"]}


def test_the_canonical_form_hashes_the_same_however_it_was_written():
    written = dict(DEFINITION, points=1.0)
    assert content_hash(canonical(written)) == content_hash(canonical(DEFINITION))
    assert content_hash(canonical(DEFINITION)) != content_hash(canonical({**DEFINITION, "points": 2}))
    with pytest.raises(DefinitionError):
        canonical({"id": "q", "type": "single", "prompt": {"kk": "?"}, "options": []})


def test_a_parsed_question_is_cached_by_content():
    clean = canonical(DEFINITION)
    digest = content_hash(clean)
    assert parse_cached(digest, clean, flavour="source") is parse_cached(digest, clean, flavour="source")


def test_a_translation_adds_its_language_and_keeps_everything_else():
    existing = canonical(DEFINITION)
    imported = {"id": "x", "type": "single", "points": 1.0, "prompt": {"en": "Question"},
                "options": [{"id": "a", "text": {"en": "Yes"}, "correct": True}, {"id": "b", "text": {"en": "No"}}]}
    merged = merge_translation(existing, imported, "en")
    assert merged["prompt"] == {"kk": HOSTILE, "ru": "Вопрос", "en": "Question"}
    assert merged["options"][0]["text"]["en"] == "Yes" and merged["options"][0]["feedback"] == {"kk": "Дұрыс."}
    assert merged["id"] == "q1"
    with pytest.raises(ValueError, match="different number"):
        merge_translation(existing, {**imported, "options": imported["options"][:1]}, "en")
