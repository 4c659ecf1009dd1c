"""quiz.yaml through `courseware check`, `load` and `export`, and GIFT through `quizzes import-gift/export-gift`."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from sqlalchemy import func, select

from app.accounts.roles import Role
from app.courseware.reader import read_courseware
from app.courseware.store import store_course
from app.db import db
from app.quizzes.models import Question, QuestionVersion, Quiz, QuizStatus
from tests.conftest import SAMPLE_COURSEWARE
from tests.web.quizzes.conftest import page_text, start

REAL_COURSEWARE = Path(__file__).parents[3] / "courseware"



def cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def versions() -> dict[str, list[tuple[int, int]]]:
    found: dict[str, list[tuple[int, int]]] = {}
    for slug, version_id, number in db.session.execute(
            select(Question.slug, QuestionVersion.id, QuestionVersion.number).join(QuestionVersion.question)
            .order_by(QuestionVersion.id)):
        found.setdefault(slug, []).append((version_id, number))
    return found


def copy_course(tmp_path: Path) -> Path:
    target = tmp_path / "courseware"
    shutil.copytree(SAMPLE_COURSEWARE, target)
    return target / "sample-course"


def test_the_sample_course_quizzes_are_loaded_published_with_one_version_each(app):
    quizzes = {q.slug: q for q in db.session.scalars(select(Quiz))}
    assert set(quizzes) == {"first", "second"} and all(q.is_published for q in quizzes.values())
    assert quizzes["first"].quiz_settings.attempts == 2
    assert {slug: [n for _, n in found] for slug, found in versions().items()} == {
        slug: [1] for slug in ("framing", "sources", "name-in-headline", "case", "terms", "steps", "law-year",
                               "agency", "lead")}


def test_reloading_changed_files_touches_only_what_changed_and_never_what_attempts_used(app, client, login_as,
                                                                                       tmp_path):
    login_as()
    start(client, "first")  # draws (and locks) every question of the first quiz
    before = versions()
    course = copy_course(tmp_path)
    first, second = course / "01-first" / "quiz.yaml", course / "02-second" / "quiz.yaml"
    first.write_text(first.read_text().replace("Қай тақырып", "Қай тақырып шынымен"))
    second.write_text(second.read_text().replace("Ретке келтіріңіз", "Дұрыс ретке келтіріңіз"))
    data = yaml.safe_load(second.read_text())
    data["questions"] = [q for q in data["questions"] if q["id"] != "agency"]
    second.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert cli(app, "courseware", "load", str(course.parent)).exit_code == 0
    after = versions()
    assert after["framing"] == [before["framing"][0], (after["framing"][1][0], 2)]  # used: a new version
    assert after["steps"] == before["steps"]  # unused: changed in place
    assert db.session.scalar(select(QuestionVersion.definition).where(
        QuestionVersion.id == after["steps"][0][0]))["prompt"]["kk"] == "Дұрыс ретке келтіріңіз"
    assert db.session.scalar(select(Question.retired).where(Question.slug == "agency"))
    for unchanged in ("sources", "terms", "lead"):
        assert after[unchanged] == before[unchanged]
    # loading the same files again changes nothing
    assert cli(app, "courseware", "load", str(course.parent)).exit_code == 0
    assert versions() == after


def test_an_unchanged_file_does_not_undo_web_edits_and_a_removed_file_hides_its_quiz(app, tmp_path):
    course = copy_course(tmp_path)
    question = db.session.scalar(select(Question).where(Question.slug == "framing"))
    from app.quizzes import authoring

    current = db.session.scalar(select(QuestionVersion).where(QuestionVersion.question_id == question.id))
    authoring.set_definition(question, current, {**current.definition, "points": 3}, actor=None)
    db.session.commit()
    (course / "welcome.en.md").write_text((course / "welcome.en.md").read_text() + "\nMore.\n")
    (course / "02-second" / "quiz.yaml").unlink()
    assert cli(app, "courseware", "load", str(course.parent)).exit_code == 0
    assert db.session.scalar(select(QuestionVersion.definition).where(
        QuestionVersion.question_id == question.id))["points"] == 3
    second = db.session.scalar(select(Quiz).where(Quiz.slug == "second"))
    assert second.status is QuizStatus.DRAFT and len(second.questions) == 6


def test_check_names_the_file_and_line_of_each_fault_and_lists_missing_translations(app, tmp_path):
    course = copy_course(tmp_path)
    quiz = course / "01-first" / "quiz.yaml"
    text = quiz.read_text().replace("    answer: false\n", "    answer: maybe\n")
    quiz.write_text(text.replace('      en: "Which headline is **calm**?"\n', ""))
    report = read_courseware(course.parent)[1]
    errors = [str(e) for e in report.errors]
    assert len(errors) == 1 and errors[0].endswith(
        "01-first/quiz.yaml:33: question name-in-headline: answer must be true or false")
    assert any("01-first/quiz.yaml:10: question framing: prompt missing in en" in str(w) for w in report.warnings)
    result = cli(app, "courseware", "load", str(course.parent))
    assert result.exit_code != 0 and "quiz.yaml:33" in result.output


def test_export_writes_web_edits_back_and_loading_the_export_gives_the_same_questions(app, client, login_as,
                                                                                    tmp_path):
    course = copy_course(tmp_path)
    login_as(Role.TRAINER)
    client.post("/trainer/quizzes/first/questions/new?type_name=truefalse", data={
        "points": "1", "prompt-kk": "Жаңа сұрақ", "answer": "true", "save": "1"})
    result = cli(app, "courseware", "export", str(course.parent))
    assert result.exit_code == 0 and result.output.count("wrote ") == 2
    exported = yaml.safe_load((course / "01-first" / "quiz.yaml").read_text())
    assert [q["id"] for q in exported["questions"]][-1] == "q04"
    before = versions()
    assert read_courseware(course.parent)[1].ok
    assert cli(app, "courseware", "load", str(course.parent)).exit_code == 0
    assert versions() == before
    # and into an empty database, the export gives the same definitions
    definitions = {v.content_hash for v in db.session.scalars(select(QuestionVersion))}
    db.session.execute(Question.__table__.delete())
    db.session.execute(Quiz.__table__.delete())
    db.session.commit()
    courses, report = read_courseware(course.parent)
    for spec in courses:
        spec.content_hash = "forced"
        store_course(spec)
    db.session.commit()
    assert {v.content_hash for v in db.session.scalars(select(QuestionVersion))} == definitions


def test_the_real_course_quizzes_load_and_every_page_of_them_renders(app, client, login_as):
    courses, report = read_courseware(REAL_COURSEWARE)
    assert report.ok, [str(e) for e in report.errors]
    for spec in courses:
        store_course(spec)
    db.session.commit()
    real = [q for q in db.session.scalars(select(Quiz)) if q.module and q.module.course.slug == courses[0].slug]
    assert len(real) >= 2
    login_as(Role.TRAINER)
    for quiz in real:
        assert client.get(f"/trainer/quizzes/{quiz.slug}/preview").status_code == 200
        attempt_id = start(client, quiz.slug)
        page = 0
        while True:
            response = client.get(f"/attempts/{attempt_id}?page={page}")
            assert response.status_code == 200
            if 'value="finish">' in page_text(response).split('class="actions attempt-actions"')[1][:200]:
                break
            page += 1
        assert client.post(f"/attempts/{attempt_id}/submit").status_code == 302


def test_import_gift_creates_a_draft_quiz_and_export_gift_writes_it_back(app, tmp_path):
    gift = tmp_path / "moodle.txt"
    gift.write_text("\ufeff::calm::Қай тақырып сабырлы? {=Атыс ~Қырғын}\r\n\r\n::year::Қай жылы? {#1999}\r\n",
                    encoding="utf-8")
    result = cli(app, "quizzes", "import-gift", str(gift), "--quiz", "from-moodle")
    assert result.exit_code == 0 and "from-moodle: 2 question(s) added (draft)" in result.output
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "from-moodle"))
    assert quiz.status is QuizStatus.DRAFT
    exported = cli(app, "quizzes", "export-gift", "from-moodle")
    assert exported.exit_code == 0 and "::calm::[markdown]Қай тақырып сабырлы?" in exported.output
    assert "=%100%1999:0" in exported.output
    again = tmp_path / "again.txt"
    again.write_text(exported.output, encoding="utf-8")
    assert cli(app, "quizzes", "import-gift", str(again), "--quiz", "copy").exit_code == 0
    hashes = [sorted(db.session.scalars(select(QuestionVersion.content_hash).join(Question).join(Quiz)
                                        .where(Quiz.slug == slug))) for slug in ("from-moodle", "copy")]
    assert hashes[0] == hashes[1]


def test_gift_commands_refuse_bad_input_with_one_line_and_import_nothing(app, tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_text("::ok::Fine {=a ~b}\n\n::bad::Broken {=a ~b\n", encoding="utf-8")
    result = cli(app, "quizzes", "import-gift", str(broken), "--quiz", "first")
    assert result.exit_code != 0 and "line 3" in result.output and "nothing was imported" in result.output
    assert db.session.scalar(select(func.count()).select_from(Question).join(Quiz).where(Quiz.slug == "first")) == 3
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("::q::Caf\xe9 {T}".encode("latin-1"))
    assert "not UTF-8" in cli(app, "quizzes", "import-gift", str(latin1), "--quiz", "first").output
    assert cli(app, "quizzes", "export-gift", "nothing").exit_code != 0
    assert cli(app, "quizzes", "import-gift", str(broken), "--quiz", "Not A Slug").exit_code != 0
