"""scenario.yaml and assignment.yaml as the course loader reads and stores them: problems with file and line,
versions by content hash, playthroughs that keep their version, retiring, and scenario images."""

from __future__ import annotations

import shutil

import pytest

from app.courseware.reader import read_courseware
from app.db import db
from app.practicum.models import (
    Assignment,
    AssignmentVersion,
    PracticumImage,
    Scenario,
    ScenarioVersion,
    Submission,
)
from tests.conftest import SAMPLE_COURSEWARE, login, make_user

from .conftest import ASSIGNMENT, BEST_PATH, SCENARIO, play, playthroughs_of, submit

PRACTICUM = ("sample-course", "03-practicum")


@pytest.fixture
def course_copy(tmp_path):
    copy = tmp_path / "courseware"
    shutil.copytree(SAMPLE_COURSEWARE, copy)
    return copy


def practicum_file(copy, name: str):
    return copy.joinpath(*PRACTICUM, name)


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load(app, path):
    result = app.test_cli_runner().invoke(args=["courseware", "load", str(path)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result


def check(path):
    _, report = read_courseware(path)
    return report


def test_the_sample_is_stored_as_a_first_version_with_its_markdown_rendered(app):
    scenario = db.session.scalar(db.select(Scenario))
    [version] = db.session.scalars(db.select(ScenarioVersion)).all()
    assert scenario.slug == "scenario" and scenario.current_hash == version.content_hash and version.number == 1
    assert version.definition["start"] == "first-reports"
    assert version.html["first-reports"]["text"]["en"].startswith("<p>You are the duty editor")
    assert version.html["good-ending"]["debrief"]["kk"].startswith("<p>")
    assignment = db.session.scalar(db.select(Assignment))
    [assignment_version] = db.session.scalars(db.select(AssignmentVersion)).all()
    assert assignment.current_hash == assignment_version.content_hash
    assert assignment_version.prompt_html["ru"].startswith("<p>Напишите первый материал")


def test_loading_unchanged_practicum_files_keeps_the_same_versions(app, course_copy):
    edit(course_copy / "sample-course" / "course.yaml", "Sample course", "Sample course, renamed")
    load(app, course_copy)
    assert db.session.scalar(db.select(db.func.count(ScenarioVersion.id))) == 1
    assert db.session.scalar(db.select(db.func.count(AssignmentVersion.id))) == 1


def test_a_changed_scenario_is_a_new_version_and_a_playthrough_keeps_the_one_it_started(app, client, course_copy):
    user = make_user(locale="en")
    login(client, user)
    play(client, ["confirmed-alert"])
    edit(practicum_file(course_copy, "scenario.yaml"), "A short, confirmed alert tells readers",
         "A short alert with only the confirmed facts tells readers")
    load(app, course_copy)
    first, second = db.session.scalars(db.select(ScenarioVersion).order_by(ScenarioVersion.number)).all()
    assert db.session.scalar(db.select(Scenario)).current_hash == second.content_hash
    [playthrough] = playthroughs_of(user)
    assert playthrough.version_id == first.id
    assert "A short, confirmed alert tells readers" in client.get(SCENARIO).get_data(as_text=True)
    play(client, BEST_PATH[1:], start=False)
    play(client, ["confirmed-alert"])
    old, new = playthroughs_of(user)
    assert (old.version_id, new.version_id) == (first.id, second.id)
    assert "A short alert with only the confirmed facts" in client.get(SCENARIO).get_data(as_text=True)
    load(app, SAMPLE_COURSEWARE)  # back to the first content: its version is found again, not copied
    assert db.session.scalar(db.select(db.func.count(ScenarioVersion.id))) == 2
    assert db.session.scalar(db.select(Scenario)).current_hash == first.content_hash


def test_a_submission_keeps_the_assignment_version_it_answered(app, client, course_copy):
    user = make_user()
    login(client, user)
    submit(client)
    edit(practicum_file(course_copy, "assignment.yaml"), "min_words: 20", "min_words: 25")
    load(app, course_copy)
    first, second = db.session.scalars(db.select(AssignmentVersion).order_by(AssignmentVersion.number)).all()
    submission = db.session.scalar(db.select(Submission))
    assert submission.version_id == first.id and second.definition["parts"][1]["min_words"] == 25


def test_removing_the_files_retires_the_practicum_and_keeps_the_learners_records(app, client, course_copy):
    user = make_user()
    login(client, user)
    play(client, BEST_PATH)
    practicum_file(course_copy, "scenario.yaml").unlink()
    practicum_file(course_copy, "assignment.yaml").unlink()
    load(app, course_copy)
    assert db.session.scalar(db.select(Scenario)).retired and db.session.scalar(db.select(Assignment)).retired
    assert client.get(SCENARIO).status_code == 404 and client.get(ASSIGNMENT).status_code == 404
    assert "practicum-title" not in client.get("/courses/sample-course/modules/practicum").get_data(as_text=True)
    assert len(playthroughs_of(user)) == 1
    load(app, SAMPLE_COURSEWARE)
    assert client.get(SCENARIO).status_code == 200


def test_problems_are_reported_with_the_file_and_the_line_and_nothing_is_loaded(app, course_copy):
    scenario_file = practicum_file(course_copy, "scenario.yaml")
    edit(scenario_file, "        next: official-statement\n", "        next: nowhere\n")
    edit(practicum_file(course_copy, "assignment.yaml"), "min_words: 4", "min_words: 0")
    report = check(course_copy)
    [broken_next] = [f for f in report.errors if "nowhere" in f.message]
    assert broken_next.file.endswith("03-practicum/scenario.yaml")
    assert broken_next.message.startswith("node first-reports, choice confirmed-alert: `next: nowhere`")
    lines = scenario_file.read_text(encoding="utf-8").splitlines()
    assert "- id: confirmed-alert" in lines[broken_next.line - 1]  # the choice that leads nowhere
    [too_few] = [f for f in report.errors if "min_words" in f.message]
    assert too_few.file.endswith("03-practicum/assignment.yaml") and too_few.line is not None
    assert "part headline" in too_few.message
    result = app.test_cli_runner().invoke(args=["courseware", "load", str(course_copy)])
    assert result.exit_code != 0 and "scenario.yaml" in result.output


def test_a_missing_translation_is_a_warning_and_the_files_still_load(app, course_copy):
    edit(practicum_file(course_copy, "scenario.yaml"),
         "    title: {kk: Ресми мәлімдеме, ru: Официальное заявление, en: The official statement}",
         "    title: {kk: Ресми мәлімдеме, ru: Официальное заявление}")
    report = check(course_copy)
    assert report.ok
    [warning] = [w for w in report.warnings if "scenario.yaml" in w.file]
    assert "node official-statement" in warning.message and "English" in warning.message
    assert warning.line is not None
    load(app, course_copy)
    assert db.session.scalar(db.select(db.func.count(ScenarioVersion.id))) == 2


def test_a_scenario_image_is_stored_by_its_hash_shown_with_its_alt_text_and_served_safely(app, client, course_copy):
    folder = course_copy.joinpath(*PRACTICUM)
    (folder / "images").mkdir()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    (folder / "images" / "square.svg").write_bytes(svg)
    edit(folder / "scenario.yaml", "    title: {kk: Алғашқы хабарлар, ru: Первые сообщения, en: First reports}\n",
         "    title: {kk: Алғашқы хабарлар, ru: Первые сообщения, en: First reports}\n"
         "    image:\n      src: images/square.svg\n"
         "      alt: {kk: Автовокзал алаңы, ru: Площадь автовокзала, en: \"The bus station square, cordoned off\"}\n")
    load(app, course_copy)
    image = db.session.scalar(db.select(PracticumImage))
    assert image.data == svg and image.media_type == "image/svg+xml"
    login(client, make_user(locale="en"))
    client.post(f"{SCENARIO}/start")
    page = client.get(SCENARIO).get_data(as_text=True)
    assert f'<img src="/practicum/images/{image.sha256}" alt="The bus station square, cordoned off">' in page
    response = client.get(f"/practicum/images/{image.sha256}")
    assert response.status_code == 200 and response.data == svg
    assert response.headers["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get("/practicum/images/" + "0" * 64).status_code == 404


def test_a_missing_image_file_is_an_error(app, course_copy):
    edit(practicum_file(course_copy, "scenario.yaml"),
         "    title: {kk: Алғашқы хабарлар, ru: Первые сообщения, en: First reports}\n",
         "    title: {kk: Алғашқы хабарлар, ru: Первые сообщения, en: First reports}\n"
         "    image: {src: images/missing.png, alt: {kk: Сурет, ru: Фото, en: A photo}}\n")
    report = check(course_copy)
    [missing] = [f for f in report.errors if "missing.png" in f.message]
    assert missing.message == "node first-reports, image: there is no file `images/missing.png` in the module folder"
    assert missing.file.endswith("scenario.yaml") and missing.line is not None
