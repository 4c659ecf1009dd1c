"""Queries per page on the seeded database, counted with SQLAlchemy's events as the tests count them.

Each learner page is requested as two learners: one who has done nothing yet and the one with the most quiz
attempts; a page whose count is the same for both does not grow with a learner's records. Staff pages are
requested on the full data set (the progress matrix also at its last page and for one cohort).

    DATABASE_URL=... python -m bench.queries site.json > queries.json
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, func, select

from app import create_app
from app.accounts.models import User
from app.bench.plan import EMAIL, Stage, learner_plan
from app.db import db
from app.practicum import scenario as scenario_rules
from app.quizzes.models import Attempt

SETTINGS = {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "LOG_REQUESTS": False,
            "SERVER_NAME": "127.0.0.1"}


class Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args) -> None:
        self.count += 1


@contextmanager
def counting(app):
    counter = Counter()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def _request(app, client, method: str, url: str, **kwargs) -> tuple[int, int]:
    with counting(app) as counter:
        response = client.open(url, method=method, **kwargs)
    return counter.count, response.status_code


def _learners(app, password: str) -> dict[str, str]:
    """The e-mails of a learner who has done nothing and of the one with the most attempts."""
    with app.app_context():
        busiest = db.session.scalar(select(User.email).join(Attempt, Attempt.user_id == User.id)
                                    .group_by(User.id).order_by(func.count().desc(), User.id).limit(1))
        learners = db.session.scalar(select(func.count()).select_from(User).where(User.email.like("learner%")))
    number = next(n for n in range(1, learners + 1) if learner_plan(1, n).stage is Stage.REGISTERED)
    return {"new learner": EMAIL.format(number), "busiest learner": busiest}


def learner_pages(app, site: dict, email: str, password: str) -> dict[str, int]:
    client = app.test_client()
    client.post("/login", data={"email": email, "password": password})
    course = f"/courses/{site['course']}"
    first = site["modules"][0]
    scenario_module = next(m for m in site["modules"] if m["scenario"])
    counts = {}
    pages = (("course", "/"), ("dashboard", "/dashboard"), ("course progress", f"{course}/progress"),
             ("module", f"{course}/modules/{first['slug']}"),
             ("reading", f"{course}/modules/{first['slug']}/readings/{first['readings'][0]}"),
             ("quiz", f"/quizzes/{first['quiz']}"))
    for _, url in pages:  # a process parses each scenario, assignment and question version once: not counted
        client.get(url)
    for name, url in pages:
        counts[name] = _request(app, client, "GET", url)[0]
    started = client.post(f"/quizzes/{first['quiz']}/start")
    attempt_url = started.headers["Location"]
    counts["quiz attempt page"] = _request(app, client, "GET", attempt_url)[0]
    counts["quiz answer POST"] = _request(app, client, "POST", attempt_url.split("?")[0],
                                          data={"page": "0", "go": "0", "q0": "x"})[0]
    play = f"{course}/modules/{scenario_module['slug']}/scenario"
    client.post(f"{play}/start")
    counts["scenario page"] = _request(app, client, "GET", play)[0]
    scenario, _, _ = scenario_rules.parse_scenario(site["scenario_definition"])
    step = _current_step(app, email)
    path = step["path"]
    node = scenario_rules.current_node(scenario, path)
    choice = scenario_rules.offered_choices(node)[0]
    counts["scenario choice POST"] = _request(app, client, "POST", f"{play}/choose",
                                              data={"step": str(len(path)), "choice": choice.id})[0]
    return counts


def _current_step(app, email: str) -> dict:
    from app.practicum.models import Playthrough, PlaythroughStatus

    with app.app_context():
        path = db.session.scalar(select(Playthrough.path).join(User, User.id == Playthrough.user_id)
                                 .where(User.email == email, Playthrough.status == PlaythroughStatus.IN_PROGRESS))
    return {"path": list(path or [])}


def staff_pages(app, site: dict, password: str) -> dict[str, int]:
    client = app.test_client()
    client.post("/login", data={"email": "admin@bench.sanaly.kz", "password": password})
    counts = {page["url"]: _request(app, client, "GET", page["url"])[0] for page in site["staff_pages"]}
    matrix = next(p["url"] for p in site["staff_pages"] if p["endpoint"] == "progress.matrix")
    last = max(1, -(-site["learners"] // 50))
    counts[f"{matrix}?page={last}"] = _request(app, client, "GET", f"{matrix}?page={last}")[0]
    counts[f"{matrix}?cohort=1"] = _request(app, client, "GET", f"{matrix}?cohort=1")[0]
    return counts


def main(site_path: str, password: str) -> dict:
    site = json.loads(Path(site_path).read_text(encoding="utf-8"))
    app = create_app(SETTINGS)
    learners = _learners(app, password)
    per_learner = {who: learner_pages(app, site, email, password) for who, email in learners.items()}
    pages = list(next(iter(per_learner.values())))
    return {
        "learner_pages": {page: {who: counts[page] for who, counts in per_learner.items()} for page in pages},
        "staff_pages": staff_pages(app, site, password),
        "learners": learners,
    }


if __name__ == "__main__":
    json.dump(main(sys.argv[1], sys.argv[2]), sys.stdout, ensure_ascii=False, indent=1)
