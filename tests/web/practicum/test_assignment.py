"""The written assignment: the prompt and rubric before writing, limits enforced on the server in the learner's
language, text kept as written and always shown escaped, one submission per revision, and revising."""

from __future__ import annotations

from app.db import db
from app.practicum.models import SubmissionStatus
from tests.conftest import login, make_user

from .conftest import ASSIGNMENT, GOOD_ANSWERS, MODULE, submissions_of, submit


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_learner_sees_the_prompt_and_the_rubric_before_writing(client):
    login(client, make_user(locale="en"))
    page = text(client.get(ASSIGNMENT))
    assert "Written assignment: reporting the incident" in page
    assert "Write the first piece your newsroom publishes" in page  # the prompt, rendered from Markdown
    assert "Accuracy and attribution" in page and "Only confirmed facts, each attributed to its source." in page
    assert "can earn 8 points" in page
    for label in ("Headline", "Lead", "Social-media post"):
        assert f">{label}</label>" in page
    assert "4 to 15 words." in page  # the limits, under the box
    assert 'data-min-words="4"' in page and 'data-max-words="15"' in page  # for the word counter script
    assert 'src="/static/js/word-count.js"' in page and "<script>" not in page


def test_limits_are_enforced_on_the_server_with_messages_and_the_text_is_kept_as_written(client):
    user = make_user(locale="en")
    login(client, user)
    too_long = " ".join(["word"] * 16)
    response = submit(client, {"part_0": too_long, "part_1": "Only a few words here.", "part_2": ""})
    page = text(response)
    assert response.status_code == 422
    assert "Too long: 16 words written, at most 15 allowed." in page
    assert "Too short: 5 words written, at least 20 needed." in page
    assert "Write this part: at least 5 words." in page
    assert f">\r\n{too_long}</textarea>" in page or f">\n{too_long}</textarea>" in page  # kept, to correct
    assert submissions_of(user) == []


def test_one_endless_word_is_refused_by_its_characters(client):
    login(client, make_user(locale="en"))
    answers = {**GOOD_ANSWERS, "part_0": "Explosion at Sarybel " + "a" * 700}
    assert "Too long: 721 characters written, at most 600 allowed." in text(submit(client, answers))


def test_messages_are_in_the_learners_language(client):
    login(client, make_user(locale="kk"))
    response = submit(client, {**GOOD_ANSWERS, "part_0": "Жарылыс"})
    page = text(response)
    assert response.status_code == 422
    assert '<html lang="kk">' in page and '<p class="error" id="part_0-error">' in page
    assert "Тақырып" in page  # the part's label from the course, in Kazakh


def test_submitted_text_is_stored_exactly_as_written_and_shown_escaped(client):
    user = make_user(locale="en")
    login(client, user)
    hostile = "<script>alert('x')</script> Police: four injured near the bus station.\r\n  <b>Avoid</b> the area"
    response = submit(client, {**GOOD_ANSWERS, "part_2": hostile})
    assert response.status_code == 303
    [submission] = submissions_of(user)
    assert submission.answers["social-post"] == hostile
    assert submission.answers["headline"] == GOOD_ANSWERS["part_0"]
    assert submission.status is SubmissionStatus.SUBMITTED and submission.revision == 1
    page = text(client.get(ASSIGNMENT))
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "&lt;b&gt;Avoid&lt;/b&gt;" in page
    assert "Waiting for a trainer" in page and "<textarea" not in page  # no editing while it waits
    assert "Waiting for a trainer" in text(client.get(MODULE))


def test_a_double_submit_makes_one_submission(client):
    user = make_user(locale="en")
    login(client, user)
    assert submit(client).status_code == 303
    response = submit(client, {**GOOD_ANSWERS, "part_0": "A different headline of several words"})
    assert response.status_code == 303
    assert "already been submitted" in text(client.get(response.headers["Location"]))
    [submission] = submissions_of(user)
    assert submission.answers["headline"] == GOOD_ANSWERS["part_0"]


def test_a_forged_revision_number_submits_nothing(client):
    user = make_user()
    login(client, user)
    assert submit(client, revision=2).status_code == 303
    assert submissions_of(user) == []


def test_another_learner_cannot_see_my_submission(app):
    mine = app.test_client()
    me = make_user()
    login(mine, me)
    submit(mine)
    [submission] = submissions_of(me)
    url = f"{ASSIGNMENT}/submissions/{submission.id}"
    assert mine.get(url).status_code == 200
    other = app.test_client()
    login(other, make_user())
    assert other.get(url).status_code == 404
    assert other.get(f"{ASSIGNMENT}/submissions/424242").status_code == 404
    assert GOOD_ANSWERS["part_1"][:40] not in text(other.get(ASSIGNMENT))
    assert other.get(f"/courses/sample-course/modules/first/assignment/submissions/{submission.id}").status_code == 404


def test_the_assignment_needs_a_signed_in_learner(client):
    assert client.get(ASSIGNMENT).status_code == 302
    assert client.post(ASSIGNMENT, data=GOOD_ANSWERS).status_code == 302
    db.session.rollback()
