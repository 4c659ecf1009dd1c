"""Keyboard only, in real Chromium: sign in, take both sample quizzes (every question type) and play the scenario
to its ending with Tab, Shift+Tab, Space, Enter, the arrow keys and typing — never a click — and the element that
has the focus always shows it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.accounts.roles import Role
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser

MAX_TABS = 60
# The focused element, whether the browser shows the focus ring, and how: an outline of 2px or more, or a shadow.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow !== 'none';
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', value: el.value || '',
          id: el.id, text: (el.innerText || el.value || '').trim().slice(0, 80),
          visible: el.matches(':focus-visible') && (outline || shadow), html: el.outerHTML.slice(0, 160)};
}"""


class Keyboard:
    """Moves the focus with the keyboard only, checking at every stop that the focus is visible."""

    def __init__(self, page) -> None:
        self.page = page
        self.stops = 0

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUS)

    def press(self, key: str) -> dict | None:
        self.page.keyboard.press(key)
        focused = self.focused()
        if focused is not None:
            self.stops += 1
            assert focused["visible"], f"the focus is not visible after {key}: {focused['html']}"
        return focused

    def tab_to(self, wanted, backwards: bool = False) -> dict:
        """Tab (or Shift+Tab) until ``wanted(focused)`` holds."""
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(MAX_TABS):
            focused = self.press(key)
            if focused and wanted(focused):
                return focused
        raise AssertionError(f"{key} never reached the wanted element on {self.page.url}")

    def button(self, text: str, key: str = "Enter", backwards: bool = False) -> None:
        """Reach a submit button and press it; wait for the page it leads to."""
        self.tab_to(lambda f: f["tag"] in ("button", "input") and f["type"] == "submit" and f["text"] == text,
                    backwards)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def field(self, field_id: str, text: str) -> None:
        self.tab_to(lambda f: f["id"] == field_id)
        self.page.keyboard.type(text)

    def radio(self, name: str, value: str) -> None:
        """Tab into the group, then arrow to the option (arrows check it); Space checks the first."""
        focused = self.tab_to(lambda f: f["type"] == "radio" and f["name"] == name)
        self.page.keyboard.press("Space")
        for _ in range(10):
            if focused["value"] == value:
                break
            focused = self.press("ArrowDown")
        assert focused["value"] == value
        assert self.page.evaluate("() => document.activeElement.checked")

    def checkbox(self, name: str, value: str) -> None:
        self.tab_to(lambda f: f["type"] == "checkbox" and f["name"] == name and f["value"] == value)
        self.page.keyboard.press("Space")

    def select(self, select_id: str, value: str) -> None:
        """Arrow through a closed drop-down until it shows ``value``."""
        focused = self.tab_to(lambda f: f["id"] == select_id)
        for _ in range(10):
            if focused["value"] == value:
                return
            focused = self.press("ArrowDown")
        raise AssertionError(f"{select_id} never showed {value}")


@pytest.fixture
def keyboard(whole_site, browser):
    with whole_site.setup_app.app_context():
        learner = make_user(Role.LEARNER, display_name="Keyboard user", locale="en")
    context = browser.new_context(base_url=whole_site.base_url, locale="en-GB")
    page = context.new_page()
    keys = Keyboard(page)
    page.goto("/login")
    keys.field("email", learner.email)
    keys.field("password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")
    yield keys
    context.close()


def test_both_sample_quizzes_by_keyboard(keyboard):
    keys, page = keyboard, keyboard.page
    page.goto("/quizzes/first")
    keys.button("Start the quiz")
    expect(page.locator(".question-single")).to_be_visible()
    keys.radio("q0", "calm")
    keys.button("Next page")
    keys.checkbox("q1", "police")
    keys.checkbox("q1", "prosecutor")
    keys.button("Next page")
    keys.radio("q2", "false")
    # Back a page with Shift+Tab to the "Previous page" button, see the answers kept, and forward again.
    keys.button("Previous page", backwards=True)
    expect(page.locator("input[name=q1][value=police]")).to_be_checked()
    keys.button("Next page", key="Space")
    expect(page.locator("input[name=q2][value=false]")).to_be_checked()
    keys.button("Finish the attempt…")
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary of your attempt")
    keys.button("Submit all and finish", key="Space")
    expect(page.locator(".question-title .mark-correct")).to_have_count(3)

    page.goto("/quizzes/second")
    keys.button("Start the quiz")
    answered = 0
    for _ in range(10):
        answered += answer_second_quiz_page(keys)
        if page.get_by_role("button", name="Next page").count() == 0:
            break
        keys.button("Next page")
    assert answered == 5
    keys.button("Finish the attempt…")
    keys.button("Submit all and finish")
    expect(page.locator(".question-title .mark-correct")).to_have_count(4)
    expect(page.locator(".question-title .mark-needs_grading")).to_be_visible()
    assert keys.stops > 40
    print(f"keyboard: two quizzes, {keys.stops} focus stops, each visible")


def answer_second_quiz_page(keys: Keyboard) -> int:
    """Answer what this page asks in the second sample quiz; how many questions it answered."""
    page = keys.page
    answered = 0
    if page.locator(".question-matching").count():
        keys.select("q1-extremism", "extremism")
        keys.select("q1-terrorism", "terrorism")
        answered += 1
    if page.locator(".question-ordering").count():
        for item, position in (("verify", "1"), ("write", "2"), ("publish", "3")):
            keys.select(f"q2-{item}", position)
        answered += 1
    for kind, text in (("numeric", "1999"), ("short", "ATC"),
                       ("essay", "Four people were injured near the bus station, the police said.")):
        section = page.locator(f".question-{kind}")
        if section.count():
            keys.field(section.locator("input, textarea").first.get_attribute("id"), text)
            answered += 1
    return answered


def test_the_scenario_to_its_ending_by_keyboard(keyboard):
    keys, page = keyboard, keyboard.page
    page.goto("/courses/sample-course/modules/practicum/scenario")
    keys.button("Start the scenario")
    for choice in ("confirmed-alert", "continue", "hold-photo", "report-from-cordon"):
        if choice == "continue":
            keys.button("Continue", key="Space")
        else:
            keys.radio("choice", choice)
            keys.button("Decide")
    expect(page.get_by_role("heading", level=1)).to_have_text("Coverage people can trust")
    expect(page.locator(".result-box")).to_contain_text("Passed")
    # The debrief's own controls are reachable and show the focus too.
    keys.button("Play again", key="Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("First reports")
    print(f"keyboard: the scenario, {keys.stops} focus stops, each visible")
