"""Playing the sample scenario in the browser without JavaScript: one node per page, feedback after each choice,
refused forgeries, harmless replays, resuming, the debrief, replaying, and the best playthrough counting."""

from __future__ import annotations

import threading

import pytest

from app.accounts.roles import Role
from app.db import db
from app.practicum.models import Playthrough, PlaythroughStatus
from tests.conftest import login, make_user

from .conftest import (
    BEST_PATH,
    HARMFUL_PATH,
    MODULE,
    SCENARIO,
    WAITED_PATH,
    current_step,
    play,
    playthroughs_of,
)


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_scenario_needs_a_signed_in_learner(client):
    response = client.get(SCENARIO)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post(f"{SCENARIO}/start").status_code == 302


def test_a_module_without_a_scenario_has_no_scenario_page(client):
    login(client, make_user())
    assert client.get("/courses/sample-course/modules/first/scenario").status_code == 404
    assert client.get("/courses/sample-course/modules/first/assignment").status_code == 404


def test_the_start_page_explains_the_scoring_then_the_first_node_shows_clock_title_text_and_material(client):
    login(client, make_user(locale="en"))
    page = text(client.get(SCENARIO))
    assert "Explosion at the bus station" in page and "at least 9 points" in page and "14" in page
    client.post(f"{SCENARIO}/start")
    page = text(client.get(SCENARIO))
    assert "14:05 — 20 minutes after the first reports" in page
    assert '<h1 id="node-title">First reports</h1>' in page
    assert "You are the duty editor of a news website." in page
    assert 'class="material material-social"' in page and "@sarybel_news_24 (unverified account)" in page
    assert "<legend>What do you do?</legend>" in page
    assert page.count('name="choice"') == 3 and 'value="publish-video"' in page


def test_the_feedback_on_a_choice_comes_with_the_next_node(client):
    login(client, make_user(locale="en"))
    play(client, ["publish-video"])
    page = text(client.get(SCENARIO))
    assert "Speed won and accuracy lost." in page  # the feedback on the choice just taken
    assert "The figure does not hold" in page  # the next node, a situation
    assert 'name="choice" value="continue"' in page and "What do you do?" not in page
    play(client, ["continue"], start=False)
    page = text(client.get(SCENARIO))
    assert "Speed won" not in page  # Continue is not a decision: no feedback
    assert 'class="material material-authority"' in page


def test_a_choice_not_offered_at_the_current_node_is_refused_and_changes_nothing(client):
    user = make_user(locale="en")
    login(client, user)
    client.post(f"{SCENARIO}/start")
    for forged in ("hold-photo", "continue", "no-such-choice", ""):
        response = client.post(f"{SCENARIO}/choose", data={"choice": forged, "step": 0})
        assert response.status_code == 422
        assert "First reports" in text(response)
    assert "not offered here" in text(client.post(f"{SCENARIO}/choose", data={"choice": "hold-photo", "step": 0}))
    [playthrough] = playthroughs_of(user)
    assert playthrough.path == [] and playthrough.steps == 0


def test_a_replayed_or_duplicated_post_of_an_earlier_step_does_nothing(client):
    user = make_user(locale="en")
    login(client, user)
    play(client, ["publish-video"])
    # The same request again (a double click, a retry), then an old page's other choice, then a step not yet shown.
    for data in ({"choice": "publish-video", "step": 0}, {"choice": "confirmed-alert", "step": 0},
                 {"choice": "continue", "step": 7}, {"choice": "continue", "step": "x"}):
        response = client.post(f"{SCENARIO}/choose", data=data)
        assert response.status_code in (303, 422)
    [playthrough] = playthroughs_of(user)
    assert playthrough.path == ["publish-video"] and playthrough.status is PlaythroughStatus.IN_PROGRESS
    assert "The figure does not hold" in text(client.get(SCENARIO))
    assert "out of date" in text(client.post(f"{SCENARIO}/choose", data={"choice": "confirmed-alert", "step": 0},
                                             follow_redirects=True))


def test_a_learner_who_leaves_comes_back_to_where_they_stopped(app):
    user = make_user(locale="en")
    first = app.test_client()
    login(first, user)
    play(first, ["confirmed-alert", "continue"])
    first.post("/logout")
    later = app.test_client()
    login(later, user)
    page = text(later.get(SCENARIO))
    assert "A name and a photo" in page and current_step(later) == 2
    assert "In progress" in text(later.get(MODULE))
    later.post(f"{SCENARIO}/start")  # "Start" with a playthrough in progress resumes it
    assert len(playthroughs_of(user)) == 1


def test_the_debrief_shows_scores_pass_or_fail_and_the_path_beside_the_best_path_with_reasons(client):
    user = make_user(locale="en")
    login(client, user)
    response = play(client, HARMFUL_PATH)
    [playthrough] = playthroughs_of(user)
    assert response.headers["Location"].endswith(f"{SCENARIO}/playthroughs/{playthrough.id}")
    assert playthrough.status is PlaythroughStatus.FINISHED and playthrough.passed is False
    assert playthrough.scores == {"accuracy": -3, "harm": -4, "legality": -3} and playthrough.total == -10
    assert playthrough.ending_id == "harmful-ending"
    page = text(client.get(response.headers["Location"]))
    assert "A story that did harm" in page and "By evening the prosecutor" in page
    assert "Not passed" in page and "9 needed to pass" in page
    assert "-3 of 4" in page and "-4 of 5" in page and "-3 of 5" in page  # per criterion, beside the most possible
    assert "Coverage people can trust" in page  # where the best path ends
    assert "Where you chose differently" in page
    assert "A short, confirmed alert tells readers what is known" in page  # the reason at the first difference
    assert "You report what matters to the public" in page  # and at the photo
    assert page.count('class="card"') >= 2


def test_the_best_path_passes_and_says_so(client):
    user = make_user(locale="en")
    login(client, user)
    page = text(client.get(play(client, BEST_PATH).headers["Location"]))
    assert "Passed" in page and "14 points of the best path's 14" in page
    assert "You took the best path." in page and "Where you chose differently" not in page


def test_replaying_starts_a_new_playthrough_and_the_best_one_counts(client):
    user = make_user(locale="en")
    login(client, user)
    play(client, BEST_PATH)
    play(client, HARMFUL_PATH)
    first, second = playthroughs_of(user)
    assert first.passed and not second.passed
    assert "An earlier playthrough scored better" in text(client.get(f"{SCENARIO}/playthroughs/{second.id}"))
    assert "This is your best playthrough" in text(client.get(f"{SCENARIO}/playthroughs/{first.id}"))
    module = text(client.get(MODULE))
    assert "Passed" in module and "Your best: 14 points" in module
    start_page = text(client.get(SCENARIO))
    assert start_page.count("<tr") == 3 and "counts" in start_page  # two playthroughs listed, the best marked


def test_a_later_better_playthrough_becomes_the_one_that_counts(client):
    user = make_user(locale="en")
    login(client, user)
    play(client, HARMFUL_PATH)
    play(client, WAITED_PATH)
    assert "Your best: 11 points" in text(client.get(MODULE))


def test_an_unfinished_playthrough_has_no_debrief_page(client):
    user = make_user()
    login(client, user)
    play(client, ["publish-video"])
    [playthrough] = playthroughs_of(user)
    response = client.get(f"{SCENARIO}/playthroughs/{playthrough.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(SCENARIO)


def test_another_learner_cannot_see_my_playthrough_but_a_trainer_can(app):
    mine = app.test_client()
    me = make_user(display_name="Dana")
    login(mine, me)
    play(mine, HARMFUL_PATH)
    [playthrough] = playthroughs_of(me)
    url = f"{SCENARIO}/playthroughs/{playthrough.id}"
    other = app.test_client()
    login(other, make_user())
    assert other.get(url).status_code == 404
    assert other.get(f"{SCENARIO}/playthroughs/999999").status_code == 404
    trainer = app.test_client()
    login(trainer, make_user(Role.TRAINER, locale="en"))
    page = text(trainer.get(url))
    assert "Playthrough of Dana" in page and f"{SCENARIO}/start" not in page  # no "Play again" for someone else


def test_two_starts_at_once_give_one_playthrough_in_progress(client):
    user = make_user()
    login(client, user)
    client.post(f"{SCENARIO}/start")
    client.post(f"{SCENARIO}/start")
    assert len(playthroughs_of(user)) == 1


@pytest.mark.parametrize("steps", [0, 3])
def test_the_play_page_runs_a_constant_number_of_queries(client, count_queries, steps):
    for _ in range(3):  # other learners' playthroughs do not add queries
        other = make_user()
        login(client, other)
        play(client, HARMFUL_PATH)
    login(client, make_user())
    play(client, (BEST_PATH[:steps]))
    with count_queries() as counter:
        assert client.get(SCENARIO).status_code == 200
    assert counter.count <= 7, counter.statements


def test_the_play_page_query_count_does_not_grow_with_the_path(client, count_queries):
    login(client, make_user())
    counts = []
    for choice in ["", *BEST_PATH[:3]]:
        if choice:
            play(client, [choice], start=False)
        else:
            client.post(f"{SCENARIO}/start")
        with count_queries() as counter:
            client.get(SCENARIO)
        counts.append(counter.count)
    assert len(set(counts)) == 1, counts
    db.session.rollback()


@pytest.mark.db
def test_starting_from_many_tabs_at_once_gives_one_playthrough_in_progress(db_app):
    user = make_user()
    user_id = user.id
    tabs = []
    for _ in range(4):
        tab = db_app.test_client()
        login(tab, user)
        tabs.append(tab)
    db.session.remove()
    barrier = threading.Barrier(len(tabs))
    statuses: list[int] = []

    def start(tab):
        barrier.wait()
        statuses.append(tab.post(f"{SCENARIO}/start").status_code)

    threads = [threading.Thread(target=start, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * len(tabs)
    assert db.session.scalar(db.select(db.func.count(Playthrough.id)).where(Playthrough.user_id == user_id)) == 1


def test_a_refused_request_shows_the_current_step_again_not_the_one_it_sent(client):
    login(client, make_user())
    client.post(f"{SCENARIO}/start")
    response = client.post(f"{SCENARIO}/choose", data={"choice": "", "step": 0})
    assert response.status_code == 422
    response = client.post(f"{SCENARIO}/choose", data={"choice": "", "step": 5})
    assert 'name="step" type="hidden" value="0"' in text(response)
