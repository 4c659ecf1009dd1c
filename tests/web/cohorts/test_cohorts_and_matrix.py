"""Admins build cohorts; trainers follow them in the progress matrix and export it."""

from __future__ import annotations

import io

from app.accounts.roles import Role
from app.cohorts.models import Cohort, CohortMember
from app.db import db
from tests.conftest import login, make_user

MATRIX = "/trainer/courses/sample-course/progress"
READING = "/courses/sample-course/modules/first/readings/alpha"


def test_only_admins_manage_cohorts_and_only_trainers_see_the_matrix(client, login_as):
    login_as(Role.LEARNER)
    assert client.get("/admin/cohorts/").status_code == 403
    assert client.get(MATRIX).status_code == 403
    assert client.get(MATRIX + ".csv").status_code == 403
    client.post("/logout")
    login_as(Role.TRAINER)
    assert client.get(MATRIX).status_code == 200
    assert client.get("/admin/cohorts/").status_code == 403


def test_an_admin_creates_a_cohort_and_adds_learners_by_csv(client, login_as):
    known = [make_user(email=f"j{i}@example.kz") for i in range(3)]
    login_as(Role.ADMIN, locale="en")
    response = client.post("/admin/cohorts/", data={"name": "Алматы, 2026 көктем"})
    assert response.status_code == 302
    cohort = db.session.scalar(db.select(Cohort))
    csv_file = (io.BytesIO(b"email\nJ0@example.kz\nj1@example.kz,extra\nghost@example.kz\n"), "list.csv")
    response = client.post(f"/admin/cohorts/{cohort.id}", data={"csv_file": csv_file, "emails": "j2@example.kz"},
                           content_type="multipart/form-data", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "3 added" in page and "ghost@example.kz" in page
    members = set(db.session.scalars(db.select(CohortMember.user_id)))
    assert members == {u.id for u in known}
    again = client.post("/admin/cohorts/", data={"name": "алматы, 2026 КӨКТЕМ"})
    assert again.status_code == 422


def test_a_bad_csv_gets_a_message_and_adds_nobody(client, login_as):
    login_as(Role.ADMIN)
    client.post("/admin/cohorts/", data={"name": "Cohort"})
    cohort = db.session.scalar(db.select(Cohort))
    bad = (io.BytesIO(b"\xff\xfe\x00bad"), "list.csv")
    response = client.post(f"/admin/cohorts/{cohort.id}", data={"csv_file": bad}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(CohortMember)) == 0


def test_the_matrix_filters_by_cohort_and_exports_csv(client, login_as):
    reader, idle = make_user(display_name="Reader"), make_user(display_name="Idle")
    login(client, reader)
    client.post(READING + "/read")
    client.post("/logout")
    db.session.add(Cohort(name="Group"))
    db.session.flush()
    cohort = db.session.scalar(db.select(Cohort))
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=reader.id))
    db.session.commit()
    login_as(Role.TRAINER)
    everyone = client.get(MATRIX).get_data(as_text=True)
    assert "Reader" in everyone and "Idle" in everyone
    filtered = client.get(f"{MATRIX}?cohort={cohort.id}").get_data(as_text=True)
    assert "Reader" in filtered and "Idle" not in filtered
    exported = client.get(f"{MATRIX}.csv").get_data(as_text=True).splitlines()
    assert exported[0].startswith("email,name,certificate name,percent,complete")
    rows = {line.split(",")[0]: line for line in exported[1:]}
    assert ",done" in rows[reader.email] and ",done" not in rows[idle.email]


def test_the_matrix_runs_the_same_queries_for_a_few_or_many_learners(client, login_as, count_queries):
    login_as(Role.TRAINER)
    for _ in range(3):
        make_user()
    with count_queries() as few:
        client.get(MATRIX)
    for _ in range(40):
        make_user()
    with count_queries() as many:
        client.get(MATRIX)
    assert few.count == many.count
