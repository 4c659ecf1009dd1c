"""quiz.yaml as a course author writes it: every setting and type read, every mistake reported at once."""

from __future__ import annotations

import random
import textwrap

import pytest
import yaml

from app.quizzes.questions import (
    Description,
    Essay,
    MultipleChoice,
    Numeric,
    Ordering,
    SingleChoice,
    from_courseware,
)
from app.quizzes.quizspec import (
    QuizSettings,
    parse_quiz,
    presented_order,
    quiz_to_courseware,
    select_questions,
)


def kk(text: str) -> dict[str, str]:
    return {"kk": text}

QUIZ_YAML = textwrap.dedent("""\
    title: {kk: Террорист бейнесі, ru: Образ террориста, en: The image of the terrorist}
    settings:
      pass_mark: 70
      attempts: 3
      time_limit_minutes: 20
      shuffle_questions: true
      shuffle_options: true
      draw: 7
      feedback: after_submit
      show_correct: after_last_attempt
    questions:
      - id: case
        type: description
        prompt:
          kk: 2016 жылғы Ақтөбе оқиғасы туралы хабарды оқыңыз.
          ru: Прочитайте сообщение о событиях в Актобе в 2016 году.
          en: Read the report on the 2016 events in Aktobe.
      - id: framing-headline
        type: single
        points: 2
        prompt:
          kk: Қай тақырып дұрыс?
          ru: Какой заголовок корректен?
          en: Which headline is fair?
        general_feedback: {kk: Фактілер бірінші., ru: Сначала факты., en: Facts first.}
        options:
          - id: a
            text:
              kk: "Ақтөбеде атыс: 7 адам қаза тапты"
              ru: "Стрельба в Актобе: погибли 7 человек"
              en: "Shooting in Aktobe: 7 dead"
            correct: true
            feedback: {kk: Дәл және сабырлы., ru: Точно и спокойно., en: Accurate and calm.}
          - id: b
            text: {kk: Қанды қырғын!, ru: Кровавая бойня!, en: Bloodbath!}
            feedback: {kk: Үрей тудырады., ru: Сеет панику., en: Spreads panic.}
      - id: sources
        type: multiple
        prompt:
          kk: Қай дереккөздер ресми?
          ru: Какие источники официальные?
          en: Which sources are official?
        options:
          - {id: a, text: {kk: ІІМ, ru: МВД, en: Interior ministry}, weight: 50}
          - {id: b, text: {kk: Прокуратура, ru: Прокуратура, en: Prosecutor}, weight: 50}
          - {id: c, text: {kk: Telegram-арна, ru: Telegram-канал, en: A Telegram channel}, weight: -100}
      - id: name-the-attacker
        type: truefalse
        answer: false
        prompt:
          kk: Шабуылшының атын тақырыпқа шығару керек.
          ru: Имя нападавшего нужно выносить в заголовок.
          en: Put the attacker's name in the headline.
        feedback_true: {kk: Жоқ., ru: Нет., en: No.}
        feedback_false: {kk: Дұрыс., ru: Верно., en: Right.}
      - id: terms
        type: matching
        prompt: {kk: Сәйкестендіріңіз, ru: Сопоставьте, en: Match}
        pairs:
          - item: {kk: экстремизм, ru: экстремизм, en: extremism}
            match: {kk: идеология, ru: идеология, en: ideology}
          - item: {kk: терроризм, ru: терроризм, en: terrorism}
            match: {kk: әдіс, ru: метод, en: method}
          - match: {kk: дін, ru: религия, en: religion}
      - id: steps
        type: ordering
        prompt: {kk: Ретке келтіріңіз, ru: Расставьте по порядку, en: Put in order}
        items:
          - {id: verify, text: {kk: Тексеру, ru: Проверить, en: Verify}}
          - {id: write, text: {kk: Жазу, ru: Написать, en: Write}}
          - {id: publish, text: {kk: Жариялау, ru: Опубликовать, en: Publish}}
      - id: law-year
        type: numeric
        prompt:
          kk: Терроризмге қарсы іс-қимыл туралы заң қай жылы қабылданды?
          ru: В каком году принят закон о противодействии терроризму?
          en: In which year was the law on countering terrorism passed?
        answers:
          - {value: 1999, tolerance: 0, fraction: 100, feedback: {kk: Дұрыс., ru: Верно., en: Right.}}
          - {min: 1998, max: 2000, fraction: 50}
      - id: agency
        type: short
        prompt:
          kk: Антитеррорлық орталықтың қысқартылған атауы?
          ru: Аббревиатура Антитеррористического центра?
          en: The Anti-Terrorist Center's abbreviation?
        case_sensitive: false
        answers:
          - text: {kk: [АТО, АТЦ], ru: [АТЦ], en: [ATC]}
            fraction: 100
      - id: lead
        type: essay
        points: 5
        prompt: {kk: Лид жазыңыз., ru: Напишите лид., en: Write a lead.}
        min_words: 20
        max_words: 120
        rubric_hint:
          kk: Фактілер, дереккөз, сабыр.
          ru: Факты, источник, тон.
          en: Facts, source, tone.
    """)


def test_a_complete_quiz_reads_without_problems() -> None:
    parsed = parse_quiz(yaml.safe_load(QUIZ_YAML))
    assert parsed.errors == ()
    assert [str(w) for w in parsed.warnings] == [
        "quiz: settings: draw picks questions with different points, so attempts can differ in maximum"]
    spec = parsed.spec
    assert spec is not None
    assert spec.title["ru"] == "Образ террориста"
    assert spec.settings == QuizSettings(
        pass_mark=70, attempts=3, time_limit_minutes=20, shuffle_questions=True, shuffle_options=True, draw=7,
        feedback="after_submit", show_correct="after_last_attempt")
    assert [q.type_name for q in spec.questions] == [
        "description", "single", "multiple", "truefalse", "matching", "ordering", "numeric", "short", "essay"]
    assert len(spec.pool) == 8
    headline = spec.question("framing-headline")
    assert isinstance(headline, SingleChoice) and headline.points == 2
    assert headline.options[1].feedback["en"] == "Spreads panic."


def test_settings_not_given_take_their_defaults() -> None:
    parsed = parse_quiz({"title": {"kk": "Тест", "ru": "Тест", "en": "Test"}, "settings": {"pass_mark": 60},
                         "questions": [{"id": "q", "type": "truefalse", "answer": True,
                                        "prompt": {"kk": "?", "ru": "?", "en": "?"}}]})
    assert parsed.spec is not None
    assert parsed.spec.settings == QuizSettings(pass_mark=60)
    assert parsed.spec.settings.attempts == 0  # unlimited
    assert parsed.spec.settings.show_correct == "after_last_attempt"


def test_every_problem_in_a_broken_quiz_is_reported_in_one_pass() -> None:
    data = yaml.safe_load(textwrap.dedent("""\
        title: {ru: Только по-русски}
        colour: blue
        settings: {attempts: three, shuffle_questions: "yes", feedback: sometimes, draw: 5, timer: 10}
        questions:
          - {id: q1, type: truefalse, answer: true, prompt: {kk: "?"}}
          - {id: q1, type: single, prompt: {kk: "?"}, options: [
                {id: a, text: {kk: a}}, {id: b, text: {kk: b}}]}
          - {id: q3, type: riddle, prompt: {kk: "?"}}
        """))
    parsed = parse_quiz(data)
    errors = [str(p) for p in parsed.errors]
    assert parsed.spec is None
    assert errors == [
        "quiz: unknown key 'colour'",
        "quiz: title missing in kk (Kazakh is required)",
        "settings: unknown key 'timer'",
        "settings: missing required field 'pass_mark'",
        "settings: attempts must be a whole number",
        "settings: shuffle_questions must be true or false",
        "settings: feedback must be one of: after_each, after_submit, after_last_attempt",
        "question q1: no option is correct: mark one option with correct: true (or weight: 100)",
        "question q3: type must be one of: single, multiple, truefalse, matching, ordering, short, numeric, "
        "essay, description",
        "quiz: two questions have the id 'q1'; ids must be unique in a quiz",
        "quiz: settings: draw is 5 but the quiz has only 3 questions",
    ]


def test_missing_translations_are_warnings_and_do_not_stop_a_load() -> None:
    parsed = parse_quiz({"title": {"kk": "Тест"}, "settings": {"pass_mark": 50}, "questions": [
        {"id": "q", "type": "truefalse", "answer": True, "prompt": {"kk": "?", "en": "?"},
         "feedback_true": {"kk": "иә", "ru": "да"}}]})
    assert parsed.spec is not None and parsed.errors == ()
    assert [str(p) for p in parsed.warnings] == [
        "quiz: title missing in ru", "quiz: title missing in en",
        "question q: prompt missing in ru", "question q: feedback_true missing in en",
    ]


def test_a_single_text_is_taken_as_kazakh() -> None:
    parsed = parse_quiz({"title": "Тест", "settings": {"pass_mark": 50}, "questions": [
        {"id": "q", "type": "truefalse", "answer": True, "prompt": "Бұл дұрыс па?"}]})
    assert parsed.spec is not None
    assert parsed.spec.questions[0].prompt == {"kk": "Бұл дұрыс па?"}
    assert "question q: prompt missing in ru" in [str(w) for w in parsed.warnings]


def test_draw_cannot_ask_for_more_questions_than_the_pool_holds() -> None:
    parsed = parse_quiz({"title": {"kk": "Т"}, "settings": {"pass_mark": 50, "draw": 3}, "questions": [
        {"id": "intro", "type": "description", "prompt": {"kk": "..."}},
        {"id": "a", "type": "truefalse", "answer": True, "prompt": {"kk": "?"}},
        {"id": "b", "type": "truefalse", "answer": False, "points": 2, "prompt": {"kk": "?"}}]})
    assert [str(p) for p in parsed.errors] == ["quiz: settings: draw is 3 but the quiz has only 2 questions"]
    warnings = [str(p) for p in parsed.warnings]
    assert "quiz: settings: draw picks questions with different points, so attempts can differ in maximum" \
        in warnings


class LinedDict(dict):
    """What the courseware loader gives: a mapping that knows the line of each key."""

    def __init__(self, data: dict, lines: dict[str, int]) -> None:
        super().__init__(data)
        self.lines = lines
        self.line = 1

    def line_of(self, key: object) -> int:
        return self.lines.get(key, self.line)


def test_problems_carry_the_line_when_the_loader_knows_it() -> None:
    question = LinedDict({"id": "q", "type": "truefalse", "answer": "no", "prompt": {"kk": "?"}},
                         {"id": 7, "type": 8, "answer": 9, "prompt": 10})
    parsed = parse_quiz({"title": {"kk": "Т"}, "settings": {"pass_mark": 50}, "questions": [question]})
    assert [(str(p), p.line) for p in parsed.errors] == [("question q: answer must be true or false", 9)]


def test_a_spec_written_back_to_yaml_reads_as_the_same_spec() -> None:
    spec = parse_quiz(yaml.safe_load(QUIZ_YAML)).spec
    assert spec is not None
    written = yaml.safe_dump(quiz_to_courseware(spec), allow_unicode=True, sort_keys=False)
    again = parse_quiz(yaml.safe_load(written))
    assert again.errors == ()
    assert again.spec == spec


def test_an_attempt_draws_its_questions_and_can_be_replayed() -> None:
    spec = parse_quiz(yaml.safe_load(QUIZ_YAML)).spec
    assert spec is not None
    drawn = select_questions(spec, random.Random(7))
    assert isinstance(drawn[0], Description)  # the case to read comes first
    assert len(drawn) == 1 + 7 and len({q.id for q in drawn}) == 8
    assert drawn == select_questions(spec, random.Random(7))  # the same seed draws the same attempt
    orders = {tuple(q.id for q in select_questions(spec, random.Random(seed))) for seed in range(20)}
    assert len(orders) > 1


def test_without_draw_or_shuffle_an_attempt_keeps_the_file_order() -> None:
    spec = parse_quiz(yaml.safe_load(QUIZ_YAML)).spec
    assert spec is not None
    plain = type(spec)(spec.title, QuizSettings(pass_mark=70), spec.questions)
    assert select_questions(plain, random.Random(1)) == spec.questions
    drawn_in_order = type(spec)(spec.title, QuizSettings(pass_mark=70, draw=4), spec.questions)
    ids = [q.id for q in select_questions(drawn_in_order, random.Random(3))]
    file_order = [q.id for q in spec.questions]
    assert ids[0] == "case" and ids[1:] == sorted(ids[1:], key=file_order.index)


def test_options_are_shuffled_only_when_asked_and_ordering_items_always() -> None:
    spec = parse_quiz(yaml.safe_load(QUIZ_YAML)).spec
    assert spec is not None
    sources, steps, lead = spec.question("sources"), spec.question("steps"), spec.question("lead")
    assert isinstance(sources, MultipleChoice) and isinstance(steps, Ordering) and isinstance(lead, Essay)
    assert presented_order(sources, random.Random(1), shuffle_options=False) == ("a", "b", "c")
    shuffled = {presented_order(sources, random.Random(seed), shuffle_options=True) for seed in range(20)}
    assert len(shuffled) > 1 and all(sorted(order) == ["a", "b", "c"] for order in shuffled)
    for seed in range(20):
        order = presented_order(steps, random.Random(seed), shuffle_options=False)
        assert order != ("verify", "write", "publish")
    assert presented_order(lead, random.Random(1), shuffle_options=True) == ()


# --- one question of quiz.yaml -----------------------------------------------------------------------------------


def test_problems_name_the_question_and_the_option() -> None:
    question, problems = from_courseware({
        "id": "q03", "type": "single", "prompt": {"kk": "?", "ru": "?", "en": "?"},
        "options": [
            {"id": "a", "text": {"kk": "а", "ru": "а", "en": "a"}, "correct": True},
            {"id": "b", "text": {"kk": "ә", "ru": "б", "en": "b"},
             "feedback": {"kk": "себебі", "en": "because"}},
        ],
    })
    assert question is not None
    assert [str(p) for p in problems] == ["question q03, option b: feedback missing in ru"]
    assert problems[0].is_warning


def test_every_mistake_in_a_question_is_reported_at_once() -> None:
    question, problems = from_courseware({
        "id": "Bad Id", "type": "single", "colour": "red", "points": "two",
        "options": [{"id": "a", "text": {"ru": "только русский"}}, {"text": {"kk": "б"}, "correct": "yes"}],
    })
    messages = [str(p) for p in problems if not p.is_warning]
    assert question is None
    assert "question Bad Id: unknown key 'colour'" in messages
    assert "question Bad Id: missing required field 'prompt'" in messages
    assert "question Bad Id: points must be a number" in messages
    assert any("id 'Bad Id' must be a slug" in m for m in messages)
    assert "question Bad Id, option a: text missing in kk (Kazakh is required)" in messages
    assert "question Bad Id, option 2: missing required field 'id'" in messages
    assert "question Bad Id, option 2: correct must be true or false" in messages
    assert "question Bad Id: no option is correct: mark one option with correct: true (or weight: 100)" \
        in messages


@pytest.mark.parametrize(("entry", "message"), [
    ({"type": "essay"}, "missing required field 'id'"),
    ({"id": "x", "type": "poll", "prompt": kk("?")}, "type must be one of"),
    ({"id": "x", "type": "multiple", "prompt": kk("?"), "options": [
        {"id": "a", "text": kk("a"), "weight": 60}, {"id": "b", "text": kk("b"), "weight": 30}]},
     "the positive weights add up to 90%, they must add up to 100%"),
    ({"id": "x", "type": "numeric", "prompt": kk("?"), "answers": [
        {"value": "*", "fraction": 0}, {"value": 5}]}, "catch-all answer (value: '*') must come last"),
    ({"id": "x", "type": "short", "prompt": kk("?"), "answers": [
        {"text": {"kk": ["*"]}, "fraction": 0}, {"text": {"kk": ["Абай"]}}]},
     "no typed answer can earn full"),
    ({"id": "x", "type": "matching", "prompt": kk("?"), "pairs": [
        {"item": kk("a"), "match": kk("1")}, {"match": kk("2")}]}, "needs at least two pairs with an item"),
    ({"id": "x", "type": "ordering", "prompt": kk("?"), "items": [
        {"id": "a", "text": kk("a")}, {"id": "a", "text": kk("b")}]}, "two items have the id 'a'"),
    ({"id": "x", "type": "truefalse", "prompt": kk("?")}, "missing required field 'answer'"),
    ({"id": "x", "type": "essay", "prompt": kk("?"), "min_words": 50, "max_words": 10},
     "min_words is above max_words"),
    ({"id": "x", "type": "description", "prompt": kk("?"), "points": 2}, "a description carries no points"),
])
def test_invalid_questions_are_refused_with_a_reason(entry: dict, message: str) -> None:
    question, problems = from_courseware(entry, position=4)
    assert question is None
    assert any(message in str(p) for p in problems if not p.is_warning), [str(p) for p in problems]


def test_correct_flags_on_a_multiple_choice_share_the_credit() -> None:
    question, _ = from_courseware({"id": "x", "type": "multiple", "prompt": kk("?"), "options": [
        {"id": "a", "text": kk("a"), "correct": True}, {"id": "b", "text": kk("b"), "correct": True},
        {"id": "c", "text": kk("c")}, {"id": "d", "text": kk("d"), "correct": False}]})
    assert isinstance(question, MultipleChoice)
    assert [o.weight for o in question.options] == [50, 50, -50, -50]
    assert question.grade(("a", "b", "c", "d")).fraction == 0  # ticking everything earns nothing


def test_a_numeric_range_is_stored_as_its_middle_and_margin() -> None:
    question, problems = from_courseware({"id": "x", "type": "numeric", "prompt": kk("?"),
                                          "answers": [{"min": 1, "max": 5}]})
    assert isinstance(question, Numeric) and not [p for p in problems if not p.is_warning]
    assert (question.answers[0].value, question.answers[0].tolerance) == (3, 2)
    assert question.grade(1).fraction == 1 and question.grade(5.01).fraction == 0
