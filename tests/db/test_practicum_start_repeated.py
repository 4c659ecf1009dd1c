"""Starting the scenario again and again on one database connection, as a busy app process does.

psycopg prepares a statement on the server after five runs, and PostgreSQL then plans it without the values:
the partial unique index that keeps one playthrough in progress must be named by a literal predicate, or
PostgreSQL cannot match `ON CONFLICT ... WHERE` to it and every later start fails (the load test found this).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.db import db
from app.practicum import playthroughs
from app.practicum.models import Playthrough, Scenario, ScenarioVersion
from tests.conftest import make_user

STARTS = 15


@pytest.mark.db
def test_starting_playthroughs_many_times_over_one_connection_never_fails(db_app):
    scenario, version = db.session.execute(
        select(Scenario, ScenarioVersion).join(ScenarioVersion, ScenarioVersion.scenario_id == Scenario.id)).first()
    learners = [make_user() for _ in range(STARTS)]
    for learner in learners:
        first = playthroughs.start(learner.id, scenario, version)
        again = playthroughs.start(learner.id, scenario, version)  # a second tab: the same playthrough
        assert again.id == first.id
    db.session.commit()
    in_progress = db.session.scalar(select(func.count()).select_from(Playthrough)
                                    .where(Playthrough.user_id.in_([u.id for u in learners])))
    assert in_progress == STARTS
