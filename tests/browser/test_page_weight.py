"""Pages stay small for phones on slow networks, and the key flows work with JavaScript turned off.

``pytest tests/browser/test_page_weight.py -s`` prints each key page's bytes with its stylesheet and scripts:
as the test server sends them (uncompressed) and gzip-compressed, as a compressing proxy would send them.
"""

from __future__ import annotations

import gzip
import re

import pytest
from playwright.sync_api import expect

from app.accounts.roles import Role
from tests.browser.sitemap import COURSE, signed_in_context
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser

MODULE = f"/courses/{COURSE}/modules"
KEY_PAGES = {
    "home": (None, "/"),
    "sign in": (None, "/login"),
    "certificate check": (None, "/verify"),
    "dashboard": ("learner", "/dashboard"),
    "module": ("learner", f"{MODULE}/first"),
    "reading": ("learner", f"{MODULE}/first/readings/alpha"),
    "quiz attempt": ("learner", "attempt"),
    "quiz review": ("learner", "review"),
    "scenario step": ("learner", f"{MODULE}/practicum/scenario"),
    "assignment": ("learner", f"{MODULE}/practicum/assignment"),
    "trainer's progress matrix": ("trainer", f"/trainer/courses/{COURSE}/progress"),
    "grading queue": ("trainer", "/practicum/grading"),
}
BUDGET = 60_000  # bytes a key page may weigh with its CSS and JS, uncompressed


def weigh(page, url: str) -> dict[str, int]:
    """Load ``url`` with an empty cache; the bytes of the document, CSS and JS, as sent and gzipped."""
    kinds = {"document": "html", "stylesheet": "css", "script": "js"}
    responses = []

    def keep(response) -> None:
        responses.append(response)

    page.on("response", keep)
    page.goto(url)
    page.wait_for_load_state("load")
    page.remove_listener("response", keep)
    weights = {"html": 0, "css": 0, "js": 0, "gzip": 0}
    for response in responses:
        if response.request.resource_type in kinds and response.status == 200:
            body = response.body()
            weights[kinds[response.request.resource_type]] += len(body)
            weights["gzip"] += len(gzip.compress(body))
    weights["total"] = weights["html"] + weights["css"] + weights["js"]
    return weights


def test_key_pages_weigh_little_with_their_css_and_js(whole_site, browser):
    site = whole_site.site
    urls = {"attempt": f"/attempts/{site.ids['attempt_open']}",
            "review": f"/attempts/{site.ids['attempt_essay']}/review"}
    rows = []
    for name, (role, url) in KEY_PAGES.items():
        context = signed_in_context(browser, whole_site.base_url, site.emails.get(role) if role else None, "kk")
        weights = weigh(context.new_page(), urls.get(url, url))
        context.close()
        rows.append((name, weights))
        assert weights["total"] < BUDGET, (name, weights)
    print("\npage                       html    css     js   total   gzip")
    for name, weights in rows:
        print(f"{name:25} {weights['html']:6} {weights['css']:6} {weights['js']:6} {weights['total']:7} "
              f"{weights['gzip']:6}")


@pytest.fixture
def no_script(whole_site, browser):
    """A new learner, signed in, in a browser with JavaScript turned off."""
    with whole_site.setup_app.app_context():
        learner = make_user(Role.LEARNER, locale="en")
    context = browser.new_context(base_url=whole_site.base_url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto("/login")
    page.fill("#email", learner.email)
    page.fill("#password", PASSWORD)
    page.locator("main form [type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    yield page
    context.close()


def test_read_take_a_quiz_play_and_submit_without_javascript(no_script):
    page = no_script
    page.goto(f"{MODULE}/first/readings/alpha")
    page.get_by_role("button", name="Mark as read").click()
    expect(page.locator("#read-status")).to_contain_text("You have read this.")

    page.goto("/quizzes/first")
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_label("Shooting: 2 injured").check()
    page.get_by_role("button", name="Next page").click()
    page.get_by_label("Police").check()
    page.get_by_role("button", name="Previous page").click()
    expect(page.get_by_label("Shooting: 2 injured")).to_be_checked()
    page.get_by_role("button", name="Next page").click()
    expect(page.get_by_label("Police")).to_be_checked()
    page.get_by_role("button", name="Next page").click()
    page.get_by_label("False").check()
    page.get_by_role("button", name="Finish the attempt…").first.click()
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.locator(".question-title .mark-correct")).to_have_count(2)

    page.goto(f"{MODULE}/practicum/scenario")
    page.get_by_role("button", name="Start the scenario").click()
    page.get_by_label("Publish a short alert with only what is confirmed", exact=False).check()
    page.get_by_role("button", name="Decide").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("First reports")

    page.goto(f"{MODULE}/practicum/assignment")
    page.fill("#part_0", "Explosion near Sarybel bus station: four injured, police say")
    page.fill("#part_1", "An explosive device went off near the Sarybel bus station at 13:45, the town police said. "
                         "Four people were injured; their lives are not in danger. Keep away from the area.")
    page.fill("#part_2", "Police: four injured near Sarybel bus station. Avoid the area. example.kz")
    page.get_by_role("button", name="Submit for grading").click()
    expect(page.locator(".status-box")).to_contain_text("Waiting for a trainer")
