"""Trainers' statistics page for a scenario: the figures of a small data set, and the bars drawn without script."""

from __future__ import annotations

import re

from app.accounts.roles import Role
from tests.conftest import login, make_user

from .conftest import BEST_PATH, HARMFUL_PATH, WAITED_PATH, play


def test_the_statistics_page_counts_choices_per_learner_and_endings_per_playthrough(app, client, scenario_id):
    for paths in ([HARMFUL_PATH, BEST_PATH], [BEST_PATH], [WAITED_PATH], [["publish-video"]]):
        learner = app.test_client()
        login(learner, make_user())
        for path in paths:
            play(learner, path)
    login(client, make_user(Role.TRAINER, locale="en"))
    page = client.get(f"/practicum/scenarios/{scenario_id}/statistics").get_data(as_text=True)
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", page))
    assert figures == {"Learners": "4", "Playthroughs": "5", "Finished": "4", "Learners who passed": "3"}
    assert "4 learners decided here" in page  # the first decision
    rows = re.findall(r'<th scope="row">([^<]+?)(?: <span[^>]*>best</span>)?</th>\s*<td class="num">(\d+)</td>'
                      r'\s*<td class="chart-bar">.*?<rect class="bar-fill" width="(\d+)"', page, re.S)
    counts = {label.strip()[:20]: (int(n), int(width)) for label, n, width in rows}
    assert counts["Publish the video an"] == (2, 50)
    assert counts["Publish a short aler"] == (2, 50)
    assert counts["Publish nothing unti"] == (1, 25)
    assert counts["Coverage people can "] == (3, 75)  # endings: 3 of 4 finished playthroughs
    assert counts["A story that did har"] == (1, 25)
    assert page.count(">best</span>") == 3  # the best choice at each decision is marked
    assert "<script" not in page


def test_an_unknown_scenario_is_404(client):
    login(client, make_user(Role.TRAINER))
    assert client.get("/practicum/scenarios/999/statistics").status_code == 404
