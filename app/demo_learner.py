"""A learner who has done the whole course, step by step through each feature's own services.

`flask demo` uses it so a newcomer sees a completed course and a certificate at once; every record
(reading progress, graded attempts, a passed playthrough, an accepted submission) is what the web pages
would have written.
"""

from __future__ import annotations

import random

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.accounts.models import User
from app.courseware.models import Course
from app.practicum import playthroughs, submissions
from app.practicum.assignment import validate_submission
from app.practicum.models import SubmissionStatus
from app.practicum.services import assignment_of, facts_of, parts_of_modules
from app.progress.services import mark_read
from app.quizzes import services as quizzes
from app.quizzes.models import Quiz, QuizStatus
from app.quizzes.rendering import source_question
from app.quizzes.responses import field_name, raw_of_response

# A model answer to the course's assignment, in Kazakh: attributed, no unconfirmed figures, service first.
MODEL_ANSWER = {
    "headline": "Жаңақаладағы «Керуен» сауда орталығында атыс: жеті адам ауруханада, кепілдер әлі босатылмады",
    "lead": ("Сенбі күні сағат 14:15 шамасында шартты Жаңақала қаласындағы «Керуен» сауда орталығында белгісіз "
             "адам атыс ашты, деп хабарлады терроризмге қарсы күрес жөніндегі жедел штаб. Қалалық аурухананың "
             "баспасөз хатшысының айтуынша, жеті адам жарақатпен ауруханаға жеткізілді, екеуінің жағдайы ауыр. "
             "Штабтың мәліметінше, қарулы адам дүкендердің бірінде бірнеше адамды ұстап отыр, онымен келіссөз "
             "жүргізілуде."),
    "social-post": ("Жаңақала: «Керуен» сауда орталығы маңында терроризмге қарсы операция жүріп жатыр. Штаб "
                    "тұрғындардан бұл ауданға бармауды және иесіз заттар туралы 102 нөміріне хабарлауды "
                    "сұрайды. Туыстарға арналған телефон әкімдіктің ресми парақшаларында. Тек ресми "
                    "дереккөздерге сеніңіз."),
}


def _form_for(questions, slots) -> MultiDict:
    """The form a browser would post with the right answer to each question on the page."""
    fields = []
    for slot in slots:
        question = questions[slot]
        if question.type_name == "description":
            continue
        raw = raw_of_response(question, question.correct_response())
        if isinstance(raw, dict):
            fields += [(field_name(slot, key), str(value)) for key, value in raw.items()]
        elif isinstance(raw, list):
            fields += [(field_name(slot), str(value)) for value in raw]
        elif raw is not None:
            fields.append((field_name(slot), str(raw)))
    return MultiDict(fields)


def pass_quiz(quiz: Quiz, learner: User) -> None:
    started = quizzes.start_attempt(quiz, learner, rng=random.Random(quiz.id))  # noqa: S311 - not security  # nosec B311
    attempt = quizzes.own_attempt(learner, started.id)  # with its quiz, as the attempt pages load it
    versions = quizzes.attempt_versions(attempt)
    questions = [source_question(v) for v in versions]
    for page, slots in enumerate(quizzes.attempt_pages(attempt, versions, quiz.questions_per_page)):
        quizzes.save_page(attempt, versions, page, _form_for(questions, slots))
    quizzes.submit_attempt(attempt)


def complete_course(session, course: Course, learner: User, trainer: User) -> None:
    """Read everything, pass every quiz, play the best path, write the model answer and have it accepted."""
    for module in course.modules:
        for reading in module.readings:
            mark_read(learner.id, reading.id, "marked")
    module_ids = [m.id for m in course.modules]
    for quiz in session.scalars(select(Quiz).where(Quiz.module_id.in_(module_ids),
                                                   Quiz.status == QuizStatus.PUBLISHED)).all():
        pass_quiz(quiz, learner)
    for parts in parts_of_modules(module_ids).values():
        if parts.scenario is not None:
            playthrough = playthroughs.start(learner.id, parts.scenario, parts.scenario_version)
            for step, choice in enumerate(facts_of(parts.scenario_version).best_path):
                playthroughs.take_choice(playthrough, step, choice)
                session.refresh(playthrough)
        if parts.assignment is not None:
            rules = assignment_of(parts.assignment_version)
            answers = {part.id: MODEL_ANSWER.get(part.id, "") for part in rules.parts}
            if validate_submission(rules, answers):
                continue  # another course's assignment: the model answer does not fit it
            submission = submissions.submit(learner, parts.assignment, parts.assignment_version, answers, 1)
            levels = {criterion.id: len(criterion.levels) - 1 for criterion in rules.rubric.criteria}
            submissions.grade_submission(submission, trainer, levels, "Дәл, дереккөздері көрсетілген, қауіпсіз.",
                                         SubmissionStatus.ACCEPTED)
    session.flush()
