"""Helpers for the practicum's web tests: the sample module's addresses, paths through the sample scenario, and
answers to the sample assignment."""

from __future__ import annotations

import re

import pytest

from app.db import db
from app.practicum.models import Playthrough, Scenario, Submission

MODULE = "/courses/sample-course/modules/practicum"
SCENARIO = f"{MODULE}/scenario"
ASSIGNMENT = f"{MODULE}/assignment"
QUEUE = "/practicum/grading"

# Through the sample scenario (tests/fixtures/courseware/sample-course/03-practicum/scenario.yaml).
BEST_PATH = ["confirmed-alert", "continue", "hold-photo", "report-from-cordon"]  # 14 points: good ending, passed
HARMFUL_PATH = ["publish-video", "continue", "continue", "run-photo"]  # -10 points: harmful ending, not passed
# 11 points, passed, good ending: differs from the best path at the first decision only
WAITED_PATH = ["wait-for-officials", "continue", "hold-photo", "report-from-cordon"]

GOOD_ANSWERS = {
    "part_0": "Explosion near Sarybel bus station: four injured, police say",
    "part_1": ("An explosive device went off near the Sarybel bus station at 13:45, the town police said. Four "
               "people were injured and taken to hospital; their lives are not in danger. Residents are asked to "
               "keep away from the area."),
    "part_2": "Police: four injured in an explosion near Sarybel bus station. Avoid the area. Details: example.kz",
}


def play(client, choices: list[str], start: bool = True):
    """Start (or resume) and take the choices in turn, each from the page of its step; the last response."""
    if start:
        assert client.post(f"{SCENARIO}/start").status_code == 303
    response = None
    for choice in choices:
        step = current_step(client)
        response = client.post(f"{SCENARIO}/choose", data={"choice": choice, "step": step})
        assert response.status_code == 303, response.get_data(as_text=True)[-1500:]
    return response


def current_step(client) -> int:
    page = client.get(SCENARIO).get_data(as_text=True)
    return int(re.search(r'name="step" type="hidden" value="(\d+)"', page).group(1))


def submit(client, answers: dict[str, str] | None = None, revision: int = 1):
    return client.post(ASSIGNMENT, data={"revision_number": revision, **(answers or GOOD_ANSWERS)})


def playthroughs_of(user) -> list[Playthrough]:
    return list(db.session.scalars(db.select(Playthrough).where(Playthrough.user_id == user.id)
                                   .order_by(Playthrough.id)))


def submissions_of(user) -> list[Submission]:
    return list(db.session.scalars(db.select(Submission).where(Submission.user_id == user.id)
                                   .order_by(Submission.revision)))


@pytest.fixture
def scenario_id(app) -> int:
    return db.session.scalar(db.select(Scenario.id))


def grade_data(levels=(2, 2, 2, 2), feedback: str = "Clear and careful.", decision: str = "accepted") -> dict:
    return {**{f"criterion_{i}": str(level) for i, level in enumerate(levels)}, "feedback": feedback,
            "decision": decision}
