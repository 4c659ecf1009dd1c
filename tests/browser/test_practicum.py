"""The practicum in real Chromium: a learner plays the sample scenario to two endings and submits the assignment,
a trainer grades it, and the learner sees the graded rubric and the feedback."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.accounts.roles import Role
from tests.conftest import PASSWORD, make_user

MODULE = "/courses/sample-course/modules/practicum"


@pytest.fixture
def accounts(live_app):
    with live_app.app_context():
        learner = make_user(email="aigerim@example.kz", display_name="Aigerim", locale="en")
        trainer = make_user(Role.TRAINER, email="trainer@example.kz", display_name="Trainer", locale="en")
        return learner.email, trainer.email


def sign_in(page, email: str) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("form[action^='/login'] button[type=submit], form[action^='/login'] input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def decide(page, choice_text: str) -> None:
    page.get_by_label(choice_text).check()
    page.get_by_role("button", name="Decide").click()


def go_on(page) -> None:
    page.get_by_role("button", name="Continue").click()


def test_play_two_endings_submit_grade_and_see_the_result(page, browser, live_server, accounts):
    learner_email, trainer_email = accounts
    sign_in(page, learner_email)
    page.goto(MODULE)
    page.get_by_role("link", name="Start the scenario").click()
    page.get_by_role("button", name="Start the scenario").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("First reports")
    expect(page.locator(".material-social")).to_contain_text("@sarybel_news_24")

    # First playthrough: speed over accuracy, to the harmful ending.
    decide(page, "Publish the video and the figure of 30 dead now, citing social media")
    expect(page.locator(".feedback")).to_contain_text("Speed won and accuracy lost.")
    expect(page.get_by_role("heading", level=1)).to_have_text("The figure does not hold")
    go_on(page)
    go_on(page)
    decide(page, "Publish the photo, the name and the address")
    expect(page.get_by_role("heading", level=1)).to_have_text("A story that did harm")
    expect(page.locator(".result-box")).to_contain_text("Not passed")
    expect(page.locator(".differences")).to_contain_text("A short, confirmed alert tells readers what is known")

    # Second playthrough: the best path, to the good ending.
    page.get_by_role("button", name="Play again").click()
    decide(page, "Publish a short alert with only what is confirmed (an incident at the bus station, rescue "
                 "services on site) and say that you are checking")
    go_on(page)
    decide(page, "Report that a suspect has been detained, citing the police, without the photo, the name or "
                 "the address")
    decide(page, "Report from the cordon without showing positions: what officials confirm, which roads are "
                 "closed, where relatives can get information")
    expect(page.get_by_role("heading", level=1)).to_have_text("Coverage people can trust")
    expect(page.locator(".result-box")).to_contain_text("Passed")
    expect(page.get_by_text("You took the best path.")).to_be_visible()

    # The assignment: the word counter helps; the server decides.
    page.goto(f"{MODULE}/assignment")
    expect(page.locator(".rubric")).to_contain_text("Accuracy and attribution")
    page.fill("#part_0", "Explosion near Sarybel bus station: four injured, police say")
    expect(page.locator('[data-count-for="part_0"]')).to_contain_text("Words: 9")
    page.fill("#part_1", "An explosive device went off near the Sarybel bus station at 13:45, the town police "
                         "said. Four people were injured; their lives are not in danger. Keep away from the area.")
    page.fill("#part_2", "<b>Police</b>: four injured near Sarybel bus station. Avoid the area. example.kz")
    page.get_by_role("button", name="Submit for grading").click()
    expect(page.locator(".status-box")).to_contain_text("Waiting for a trainer")
    expect(page.locator(".answers")).to_contain_text("<b>Police</b>: four injured")  # shown as written

    trainer_context = browser.new_context(base_url=live_server, locale="en-GB")
    trainer = trainer_context.new_page()
    sign_in(trainer, trainer_email)
    trainer.goto("/practicum/grading")
    expect(trainer.locator(".queue-entry")).to_contain_text("Aigerim")
    expect(trainer.locator(".queue-scenario")).to_contain_text("14 of 14 points")
    trainer.get_by_role("link", name="Grade this work").click()
    for criterion in ("Accuracy and attribution", "Harm avoidance", "Legality", "Usefulness to readers"):
        trainer.get_by_role("group", name=criterion).get_by_label(re.compile(r"\b2 points:")).check()
    trainer.fill("#feedback", "Calm and attributed. Link to the police statement next time.")
    trainer.get_by_label("Accept").check()
    trainer.get_by_role("button", name="Save the grade").click()
    expect(trainer.locator(".flashes")).to_contain_text("The grade is saved")
    expect(trainer.get_by_text("Nothing is waiting. Well done.")).to_be_visible()
    trainer_context.close()

    page.reload()
    expect(page.locator(".status-box")).to_contain_text("Accepted")
    expect(page.locator(".status-box")).to_contain_text("Grade: 8 of 8 points.")
    page.get_by_role("link", name="See the graded rubric and the feedback").click()
    expect(page.locator(".rubric li.chosen")).to_have_count(4)
    expect(page.get_by_text("Calm and attributed. Link to the police statement next time.")).to_be_visible()
    page.goto(MODULE)
    expect(page.locator(".practicum")).to_contain_text("Accepted")
    assert page.js_errors == []


def test_the_scenario_is_played_without_javascript(browser, live_server, accounts):
    context = browser.new_context(base_url=live_server, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    sign_in(page, accounts[0])
    page.goto(f"{MODULE}/scenario")
    page.get_by_role("button", name="Start the scenario").click()
    page.get_by_role("button", name="Decide").click()  # nothing chosen: told, nothing recorded
    expect(page.locator(".error")).to_contain_text("Choose one of the options.")
    decide(page, "Publish nothing until the authorities make a statement")
    expect(page.locator(".feedback")).to_contain_text("Nothing false went out")
    page.goto(MODULE)
    page.get_by_role("link", name="Continue where you left off").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The official statement")
    context.close()
