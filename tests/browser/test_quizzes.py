"""Quizzes in real Chromium: a learner completes both module quizzes of the sample course, a trainer authors a
quiz with every question type, and a trainer's hostile markup never runs in a learner's page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from app.accounts.roles import Role
from app.db import db, utcnow
from app.quizzes.models import Attempt, Quiz
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def accounts(live_app):
    with live_app.app_context():
        learner = make_user(email="dana@example.kz", display_name="Dana", locale="en")
        trainer = make_user(Role.TRAINER, email="coach@example.kz", display_name="Coach", locale="en")
        return learner.email, trainer.email


def sign_in(page, email: str) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("form[action^='/login'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def next_page(page) -> None:
    page.get_by_role("button", name="Next page").first.click()


def finish_and_submit(page) -> None:
    page.get_by_role("button", name="Finish the attempt…").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary of your attempt")
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/review$"))


def test_a_learner_completes_each_module_quiz(page, accounts):
    sign_in(page, accounts[0])
    page.goto("/courses/sample-course/modules/first")
    page.get_by_role("link", name="Open the quiz").click()
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_label("Shooting: 2 injured").check()
    # the script saves the answer as it is given: a reload shows it without any button pressed
    expect(page.locator("[data-autosave-status]")).to_have_text("Your answers are saved.")
    page.reload()
    expect(page.get_by_label("Shooting: 2 injured")).to_be_checked()
    next_page(page)
    page.get_by_label("Police").check()
    page.get_by_label("Prosecutor").check()
    next_page(page)
    page.get_by_label("False").check()
    finish_and_submit(page)
    expect(page.locator(".score")).to_contain_text("3 of 3 points (100%)")
    expect(page.locator(".verdict")).to_contain_text("Passed")
    expect(page.locator(".option-feedback").first).to_have_text("Accurate and calm.")

    page.goto("/courses/sample-course/modules/second")
    page.get_by_role("link", name="Open the quiz").click()
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator(".prompt").first).to_have_text("Read the case.")
    page.get_by_label("extremism").select_option(label="ideology")
    page.get_by_label("terrorism").select_option(label="method")
    next_page(page)
    for position, item in enumerate(("Verify", "Write", "Publish"), start=1):
        page.get_by_label(item).select_option(str(position))
    next_page(page)
    page.get_by_label("Your answer").fill("1999")
    next_page(page)
    page.get_by_label("Your answer").fill("ATC")
    next_page(page)
    page.get_by_label("Your answer").fill("Police say two people were injured in a shooting on Monday.")
    finish_and_submit(page)
    expect(page.locator(".verdict")).to_contain_text("Awaiting grading")
    expect(page.locator(".score")).to_contain_text("4 of 6 points")
    page.goto("/courses/sample-course/modules/first")
    expect(page.locator(".quiz-section")).to_contain_text("Passed")
    assert page.js_errors == []


QUESTIONS = {
    "Single choice": {"#prompt-kk": "Қай тақырып сабырлы?", "#options-0-text-kk": "Атыс: 2 жараланды",
                      "#options-1-text-kk": "Қырғын!", "#options-0-correct": True},
    "Multiple choice": {"#prompt-kk": "Ресми дереккөздер?", "#options-0-text-kk": "Полиция",
                        "#options-1-text-kk": "Прокуратура", "#options-2-text-kk": "Telegram",
                        "#options-0-correct": True, "#options-1-correct": True},
    "True or false": {"#prompt-kk": "Атын тақырыпқа шығару керек.", "#answer-1": True},
    "Matching": {"#prompt-kk": "Сәйкестендіріңіз", "#pairs-0-item-kk": "экстремизм", "#pairs-0-match-kk": "идеология",
                 "#pairs-1-item-kk": "терроризм", "#pairs-1-match-kk": "әдіс"},
    "Ordering": {"#prompt-kk": "Ретке келтіріңіз", "#items-0-text-kk": "Тексеру", "#items-1-text-kk": "Жазу",
                 "#items-2-text-kk": "Жариялау"},
    "Short answer": {"#prompt-kk": "Қысқаша атауы?", "#answers-0-text-kk": "АТЦ\nАТО"},
    "Numeric": {"#prompt-kk": "Заң қай жылы?", "#answers-0-value": "1999", "#answers-0-tolerance": "0"},
    "Essay": {"#prompt-kk": "Лид жазыңыз.", "#min_words": "5"},
    "Description (no answer)": {"#prompt-kk": "Жағдайды оқыңыз."},
}


def test_a_trainer_authors_a_quiz_with_every_question_type(page, accounts):
    sign_in(page, accounts[1])
    page.goto("/trainer/quizzes")
    page.get_by_role("link", name="New quiz").click()
    page.fill("#slug", "newsroom")
    page.fill("#title-kk", "Редакция")
    page.fill("#title-en", "Newsroom")
    page.fill("#pass_mark", "60")
    page.get_by_role("button", name="Save the quiz").click()
    expect(page).to_have_url(re.compile(r"/trainer/quizzes/newsroom$"))
    for label, fields in QUESTIONS.items():
        page.select_option("#type_name", label=label)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(label)
        for selector, value in fields.items():
            if value is True:
                page.check(selector)
            else:
                page.fill(selector, value)
        page.get_by_role("button", name="Save the question").click()
        expect(page).to_have_url(re.compile(r"/trainer/quizzes/newsroom$"))
    expect(page.locator(".question-list > li")).to_have_count(len(QUESTIONS))
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flashes")).to_contain_text("The quiz is published.")
    page.get_by_role("link", name="Preview the quiz").click()
    expect(page.locator("section.question")).to_have_count(len(QUESTIONS))
    assert page.js_errors == []


HOSTILE = {
    "#prompt-kk": '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> **Сұрақ**',
    "#options-0-text-kk": '<img src=x onerror="window.pwned = 3">Иә',
    "#options-0-feedback-kk": '<svg onload="window.pwned = 4"></svg><a href="javascript:window.pwned=5">x</a>',
    "#options-1-text-kk": "[сілтеме](javascript:window.pwned=6)",
    "#general_feedback-kk": "<iframe src=\"javascript:window.pwned=7\"></iframe>",
}


def test_a_trainers_script_never_runs_in_a_learners_page(page, browser, live_server, accounts):
    dialogs: list[str] = []
    sign_in(page, accounts[1])
    page.goto("/trainer/quizzes/first")
    page.select_option("#type_name", label="Single choice")
    page.get_by_role("button", name="Add", exact=True).click()
    for selector, value in HOSTILE.items():
        page.fill(selector, value)
    page.check("#options-0-correct")
    page.get_by_role("button", name="Save the question").click()
    expect(page).to_have_url(re.compile(r"/trainer/quizzes/first$"))
    page.get_by_role("link", name="Preview").last.click()
    assert page.evaluate("window.pwned") is None

    learner = browser.new_context(base_url=live_server, locale="kk-KZ").new_page()
    learner.on("dialog", lambda dialog: dialogs.append(dialog.message))
    sign_in(learner, accounts[0])
    learner.goto("/quizzes/first")
    learner.locator("form[action$='/start'] button").click()
    learner.goto(learner.url.split("?")[0] + "?page=3")
    expect(learner.locator(".prompt").first).to_contain_text("<script>window.pwned = 1</script>")
    expect(learner.locator(".prompt strong")).to_have_text("Сұрақ")
    learner.locator("input[value=a]").check()
    learner.locator("button[value=finish]").first.click()
    learner.locator("form[action$='/submit'] button").click()
    expect(learner).to_have_url(re.compile(r"/review$"))
    expect(learner.locator(".option-feedback")).to_contain_text('<svg onload="window.pwned = 4">')
    for link in learner.locator("main a").all():
        assert not (link.get_attribute("href") or "").startswith("javascript")
    assert learner.locator("main script, main iframe, main img, main svg").count() == 0
    assert learner.evaluate("window.pwned") is None and dialogs == []


def test_the_timer_submits_the_attempt_when_the_time_runs_out(page, live_app, accounts):
    with live_app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.slug == "first"))
        quiz.settings = {**quiz.settings, "time_limit_minutes": 1}
        db.session.commit()
    sign_in(page, accounts[0])
    page.goto("/quizzes/first")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator(".timer")).to_contain_text("Time left:")
    page.get_by_label("Shooting: 2 injured").check()
    expect(page.locator("[data-autosave-status]")).to_have_text("Your answers are saved.")
    attempt_id = int(page.url.split("/attempts/")[1].split("?")[0])
    with live_app.app_context():  # the last seconds of the limit
        db.session.execute(update(Attempt).where(Attempt.id == attempt_id)
                           .values(deadline=utcnow() + timedelta(seconds=3)))
        db.session.commit()
    page.reload()
    expect(page.locator("[data-timer-text]")).to_have_text(re.compile(r"^0:0[0-3]$"))
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt_id}/review$"), timeout=15_000)
    expect(page.locator(".score")).to_contain_text("1 of 3 points")
    assert page.js_errors == []
