"""Trainers grade the written assignment: the queue, the rubric form, audited grades, one grade however many
trainers save at once, returning for revision, and what learners then see."""

from __future__ import annotations

import threading

import pytest

from app.accounts.roles import Role
from app.audit.models import AuditEntry
from app.db import db
from app.practicum.models import Grade, Submission, SubmissionStatus
from tests.conftest import login, make_user

from .conftest import ASSIGNMENT, BEST_PATH, GOOD_ANSWERS, HARMFUL_PATH, QUEUE, grade_data, play, submissions_of, submit


def text(response) -> str:
    return response.get_data(as_text=True)


def learner_with_submission(app, answers=None, path=None, **fields):
    client = app.test_client()
    learner = make_user(**fields)
    login(client, learner)
    if path:
        play(client, path)
    assert submit(client, answers).status_code == 303
    return client, learner, submissions_of(learner)[-1]


def test_learners_get_403_on_every_trainer_page(client, scenario_id):
    login(client, make_user())
    assert client.get(QUEUE).status_code == 403
    assert client.get("/practicum/submissions/1/grade").status_code == 403
    assert client.post("/practicum/submissions/1/grade", data=grade_data()).status_code == 403
    assert client.get(f"/practicum/scenarios/{scenario_id}/statistics").status_code == 403


def test_visitors_are_sent_to_sign_in(client):
    assert client.get(QUEUE).status_code == 302


def test_the_queue_lists_ungraded_work_oldest_first_with_each_learners_best_scenario_result(app, client):
    learner_with_submission(app, path=HARMFUL_PATH, display_name="First learner")
    learner_with_submission(app, path=BEST_PATH, display_name="Second learner")
    learner_with_submission(app, display_name="Third learner")
    login(client, make_user(Role.TRAINER, locale="en"))
    page = text(client.get(QUEUE))
    assert "oldest first: 3" in page
    first, second, third = (page.index(f"{n} learner") for n in ("First", "Second", "Third"))
    assert first < second < third
    assert "-10 of 14 points" in page and "14 of 14 points" in page and "No finished playthrough yet." in page
    assert GOOD_ANSWERS["part_1"][:60] in page  # the text beside the result
    assert "/practicum/scenarios/" in page  # links to the statistics


def test_the_queue_can_show_one_course(app, client):
    learner_with_submission(app)
    login(client, make_user(Role.TRAINER, locale="en"))
    assert "oldest first: 1" in text(client.get(f"{QUEUE}?course_slug=sample-course"))
    assert "oldest first: 0" in text(client.get(f"{QUEUE}?course_slug=no-such-course"))


def test_grading_stores_the_levels_points_and_feedback_audited_and_the_learner_sees_the_graded_rubric(app, client):
    learner_client, learner, submission = learner_with_submission(app, locale="en")
    trainer = make_user(Role.TRAINER, locale="en")
    login(client, trainer)
    page = text(client.get(f"/practicum/submissions/{submission.id}/grade"))
    assert "<legend>Accuracy and attribution</legend>" in page and "2 points: Only confirmed facts" in page
    response = client.post(f"/practicum/submissions/{submission.id}/grade",
                           data=grade_data((2, 1, 2, 0), feedback="Good lead.\n<b>Add</b> where to follow updates."))
    assert response.status_code == 303 and response.headers["Location"].endswith(QUEUE)
    grade = db.session.scalar(db.select(Grade))
    assert grade.levels == {"accuracy": 2, "harm": 1, "legality": 2, "usefulness": 0}
    assert (grade.points, grade.max_points, grade.trainer_id) == (5, 8, trainer.id)
    assert submissions_of(learner)[0].status is SubmissionStatus.ACCEPTED
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "assignment.graded"))
    assert (entry.actor_id, entry.subject_id, entry.object_id) == (trainer.id, learner.id, str(submission.id))
    assert entry.details["points"] == 5 and entry.details["decision"] == "accepted"
    assert "Nothing is waiting" in text(client.get(QUEUE))

    page = text(learner_client.get(ASSIGNMENT))
    assert "Accepted" in page and "Grade: 5 of 8 points." in page and "<textarea" not in page
    page = text(learner_client.get(f"{ASSIGNMENT}/submissions/{submission.id}"))
    assert "Grade: 5 of 8 points" in page and "2 of 2" in page and "0 of 2" in page
    assert page.count('class="chosen"') == 4
    assert "Good lead.\n&lt;b&gt;Add&lt;/b&gt; where to follow updates." in page  # feedback escaped, lines kept


def test_returned_work_is_revised_and_resubmitted_as_a_new_revision(app, client):
    learner_client, learner, submission = learner_with_submission(app, locale="en")
    login(client, make_user(Role.TRAINER, locale="en"))
    client.post(f"/practicum/submissions/{submission.id}/grade",
                data=grade_data((1, 1, 1, 0), feedback="Attribute the figures.", decision="returned"))
    page = text(learner_client.get(ASSIGNMENT))
    assert "Returned for revision" in page and "Attribute the figures." in page
    assert GOOD_ANSWERS["part_1"][:50] in page and "<textarea" in page  # the text, ready to edit
    assert 'name="revision_number" type="hidden" value="2"' in page
    revised = {**GOOD_ANSWERS, "part_0": "Police: four injured in explosion near Sarybel bus station"}
    assert submit(learner_client, revised, revision=2).status_code == 303
    first, second = submissions_of(learner)
    assert (first.status, second.status) == (SubmissionStatus.RETURNED, SubmissionStatus.SUBMITTED)
    assert second.revision == 2 and second.answers["headline"] == revised["part_0"]
    page = text(client.get(QUEUE))
    assert "revision 2" in page
    grade_page = text(client.get(f"/practicum/submissions/{second.id}/grade"))
    assert "Earlier revisions" in grade_page and "Attribute the figures." in grade_page
    client.post(f"/practicum/submissions/{second.id}/grade", data=grade_data())
    assert "Accepted" in text(learner_client.get("/courses/sample-course/modules/practicum"))


def test_a_grade_must_choose_a_level_for_every_criterion_and_give_feedback(app, client):
    _, learner, submission = learner_with_submission(app)
    login(client, make_user(Role.TRAINER, locale="en"))
    data = grade_data(feedback="")
    del data["criterion_3"]
    data["criterion_0"] = "7"  # a level the rubric does not have
    response = client.post(f"/practicum/submissions/{submission.id}/grade", data=data)
    page = text(response)
    assert response.status_code == 422
    assert "Choose a level for this criterion." in page and "Write feedback for the learner." in page
    assert "Not a valid choice" in page
    assert db.session.scalar(db.select(Grade)) is None
    assert submissions_of(learner)[0].status is SubmissionStatus.SUBMITTED


def test_graded_work_cannot_be_graded_again(app, client):
    _, _, submission = learner_with_submission(app)
    login(client, make_user(Role.TRAINER, locale="en"))
    client.post(f"/practicum/submissions/{submission.id}/grade", data=grade_data())
    response = client.post(f"/practicum/submissions/{submission.id}/grade", data=grade_data((0, 0, 0, 0)))
    assert response.status_code == 303
    assert "already been graded" in text(client.get(response.headers["Location"]))
    assert [g.points for g in db.session.scalars(db.select(Grade))] == [8]


def test_a_trainer_does_not_grade_their_own_work_and_missing_work_is_404(app, client):
    trainer = make_user(Role.TRAINER)
    login(client, trainer)
    submit(client)
    [own] = submissions_of(trainer)
    assert client.get(f"/practicum/submissions/{own.id}/grade").status_code == 403
    assert client.get("/practicum/submissions/999999/grade").status_code == 404


@pytest.mark.db
def test_two_trainers_grading_the_same_work_at_once_give_one_grade(db_app):
    _, _, submission = learner_with_submission(db_app)
    url, submission_id = f"/practicum/submissions/{submission.id}/grade", submission.id
    trainers = []
    for _ in range(4):
        trainer_client = db_app.test_client()
        login(trainer_client, make_user(Role.TRAINER))
        trainers.append(trainer_client)
    db.session.remove()
    barrier = threading.Barrier(len(trainers))
    statuses: list[int] = []

    def grade(trainer_client, points):
        barrier.wait()
        response = trainer_client.post(url, data=grade_data((points, points, points, points)))
        statuses.append(response.status_code)

    threads = [threading.Thread(target=grade, args=(c, i % 3)) for i, c in enumerate(trainers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [303] * len(trainers)  # no server error: one grades, the others are told
    assert db.session.scalar(db.select(db.func.count(Grade.id))) == 1
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(
        AuditEntry.action == "assignment.graded")) == 1
    assert db.session.get(Submission, submission_id).status is SubmissionStatus.ACCEPTED


def test_the_grading_queue_runs_a_constant_number_of_queries(app, client, count_queries):
    trainer = make_user(Role.TRAINER)

    def measure() -> int:
        login(client, trainer)
        with count_queries() as counter:
            assert client.get(QUEUE).status_code == 200
        return counter.count

    learner_with_submission(app, path=BEST_PATH)
    one = measure()
    for index in range(6):
        learner_with_submission(app, path=HARMFUL_PATH if index % 2 else None)
    assert measure() == one, "the queue's queries grow with the number of submissions"
    assert one <= 10
