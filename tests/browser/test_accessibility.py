"""axe-core in real Chromium finds nothing on any page, for every role and in every language.

The pages come from the app's URL map (tests/browser/sitemap.py), filled with a learner's real progress. axe-core
is the copy the ``axe-playwright-python`` package ships: nothing is downloaded. It runs the WCAG 2.0, 2.1 and 2.2
A and AA rules and axe's best practices (landmarks, heading order, one main heading), and the test fails on any
serious or critical finding, and on the best-practice findings about structure that screen-reader users rely on.
Contrast, which depends on the stylesheet and not on the words, is checked in Kazakh for every role.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.browser.sitemap import LANGUAGES, NOT_HTML, ROLES, html_get_endpoints, set_locale, signed_in_context

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}
# Moderate in axe's scale, but they break navigation by landmarks and headings: fail on them too.
FAILING_RULES = {"landmark-one-main", "landmark-unique", "landmark-no-duplicate-banner", "landmark-no-duplicate-main",
                 "landmark-no-duplicate-contentinfo", "region", "heading-order", "page-has-heading-one",
                 "empty-heading", "empty-table-header", "label-title-only", "skip-link"}
# Colours come from the stylesheet and the markup, not from the words: contrast is checked in Kazakh, the default
# language, on every page for every role; the other rules run in every language.
CONTRAST_LANGUAGE = "kk"
WITHOUT_CONTRAST = {**AXE_OPTIONS, "rules": {"color-contrast": {"enabled": False}}}
MAIN = re.compile(r"<main\b.*?</main>", re.S)
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')


@pytest.fixture(scope="module")
def checked(whole_site, browser):
    """Run axe on every page for every role and language; what was checked and what was found."""
    site = whole_site.site
    results = {"runs": 0, "checked": defaultdict(set), "violations": [], "skipped": 0, "outside": []}
    for language in LANGUAGES:
        fingerprints: set[str] = set()
        for role in ROLES:
            email = site.emails.get(role)
            if email:
                set_locale(whole_site.setup_app, email, language)
            context = signed_in_context(browser, whole_site.base_url, email, language)
            page = context.new_page()
            page.on("request", lambda request: None if request.url.startswith(whole_site.base_url)
                    else results["outside"].append(request.url))
            _check_role(page, site, role, language, fingerprints, results)
            context.close()
    return results


def _check_role(page, site, role, language, fingerprints, results) -> None:
    """axe on each page this role sees in this language, unless an earlier role saw the same <main>.

    The page is first fetched without rendering (with the browser's cookies): a sign-in redirect, an error page, or a
    <main> that another role already showed in this language (the admin's copy of a trainer's page: only the header
    differs, and this role's other pages cover it) is not rendered and checked again. CSRF tokens are left out.
    """
    options = AXE_OPTIONS if language == CONTRAST_LANGUAGE else WITHOUT_CONTRAST
    for endpoint, url in [*site.pages(), ("site.not_found", "/no-such-page")]:
        fetched = page.request.get(url)
        main = MAIN.search(fetched.text())
        key = (fetched.status, CSRF_INPUT.sub("", main.group(0)) if main else fetched.url)
        if key in fingerprints:
            results["skipped"] += 1
            continue
        fingerprints.add(key)
        response = page.goto(url)
        page.evaluate(AXE_SCRIPT)
        found = page.evaluate("options => axe.run(options)", options)
        results["runs"] += 1
        if response and response.status == 200 and page.url.endswith(url):
            results["checked"][endpoint].add((role, language))
        results["violations"] += failures(found, f"{role}/{language} {url}")


def failures(found: dict, where: str) -> list[str]:
    """The findings of one axe run that fail the test, one line per element."""
    return [f"{where} [{violation['id']}, {violation['impact']}] {node['target']}: "
            f"{node['failureSummary'].splitlines()[-1].strip()} — {node['html'][:200]}"
            for violation in found["violations"]
            if violation["impact"] in FAILING_IMPACTS or violation["id"] in FAILING_RULES
            for node in violation["nodes"]]


def test_every_page_is_listed(whole_site):
    """A page added to the app is checked, or named as not HTML with the reason."""
    site = whole_site.site
    endpoints = html_get_endpoints(whole_site.app)
    unlisted = endpoints - set(site.urls) - set(NOT_HTML)
    assert not unlisted, f"give these pages addresses in tests/browser/sitemap.py, or a reason in NOT_HTML: {unlisted}"
    assert not set(site.urls) - endpoints, "sitemap.py lists endpoints the app no longer has"


def test_axe_finds_nothing_on_any_page_for_any_role_in_any_language(checked):
    assert checked["violations"] == [], "\n".join(checked["violations"])
    assert checked["outside"] == [], "nothing may be fetched from outside the test server"


def test_every_page_was_checked_in_every_language(checked, whole_site):
    """Each listed page was opened by some role in each language (none hid behind a redirect or an error)."""
    site = whole_site.site
    missing = {endpoint: sorted(set(LANGUAGES) - {language for _, language in checked["checked"][endpoint]})
               for endpoint in site.urls}
    assert not {endpoint: languages for endpoint, languages in missing.items() if languages}
    roles = {role for pairs in checked["checked"].values() for role, _ in pairs}
    assert roles == set(ROLES)
    print(f"axe: {len(site.pages())} addresses of {len(site.urls)} pages, {len(ROLES)} roles, {len(LANGUAGES)} "
          f"languages: {checked['runs']} pages checked, {checked['skipped']} skipped as already seen, "
          f"{len(checked['violations'])} violations")


# Forms sent empty, as each role may send them: the pages that show validation errors (aria-invalid, described-by
# messages, the alert), in Kazakh; the markup of an error does not change with the language.
FORMS_WITH_ERRORS = {"anonymous": ["/login", "/register", "/forgot"], "learner": ["/account", "/account/password"],
                     "trainer": ["/trainer/quizzes/new", "/practicum/submissions/{submission}/grade"],
                     "admin": ["/admin/cohorts/"]}
EMPTY_THE_FORM = """form => {
  form.noValidate = true;
  form.querySelectorAll('input[type=text], input[type=email], input[type=password], textarea')
      .forEach(field => { field.value = ''; });
}"""


def test_axe_finds_nothing_on_forms_showing_their_errors(whole_site, browser):
    site = whole_site.site
    found: list[str] = []
    for role, urls in FORMS_WITH_ERRORS.items():
        email = site.emails.get(role)
        if email:
            set_locale(whole_site.setup_app, email, CONTRAST_LANGUAGE)
        context = signed_in_context(browser, whole_site.base_url, email, CONTRAST_LANGUAGE)
        page = context.new_page()
        for url in urls:
            page.goto(url.format(submission=site.ids["submissions"][-1]))
            form = page.locator("main form[method=post]").first
            form.evaluate(EMPTY_THE_FORM)
            with page.expect_navigation():
                form.locator("[type=submit]").last.click()
            assert page.locator("main .error, main .form-errors").count(), f"{url} showed no error"
            page.evaluate(AXE_SCRIPT)
            found += failures(page.evaluate("options => axe.run(options)", AXE_OPTIONS), f"{role} {url}")
        context.close()
    assert found == [], "\n".join(found)
