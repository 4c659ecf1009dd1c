"""The admin console: users and roles (audited) and the audit log; the trainer's home."""

from __future__ import annotations

from app.accounts.roles import Role
from app.audit.models import AuditEntry
from app.db import db
from tests.conftest import make_user


def test_learners_and_trainers_cannot_open_the_admin_console(client, login_as):
    login_as(Role.TRAINER)
    assert client.get("/trainer").status_code == 200
    for url in ("/admin", "/admin/users", "/admin/audit"):
        assert client.get(url).status_code == 403
    client.post("/logout")
    login_as(Role.LEARNER)
    assert client.get("/trainer").status_code == 403
    assert client.get("/admin").status_code == 403


def test_an_admin_changes_a_role_and_the_audit_log_shows_who_did_it(client, login_as):
    learner = make_user(display_name="Жанар")
    admin = login_as(Role.ADMIN, display_name="Бас әкімші")
    page = client.get("/admin/users?q=жанар").get_data(as_text=True)
    assert "Жанар" in page
    response = client.post(f"/admin/users/{learner.id}/role", data={"role": "trainer"})
    assert response.status_code == 302
    db.session.refresh(learner)
    assert learner.role is Role.TRAINER
    entry = db.session.scalar(db.select(AuditEntry))
    assert (entry.actor_id, entry.subject_id, entry.action) == (admin.id, learner.id, "role.changed")
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "Бас әкімші" in log and "role.changed" in log and "Жанар" in log


def test_an_admin_cannot_change_their_own_role_or_set_a_bogus_one(client, login_as):
    admin = login_as(Role.ADMIN)
    client.post(f"/admin/users/{admin.id}/role", data={"role": "learner"})
    db.session.refresh(admin)
    assert admin.role is Role.ADMIN
    other = make_user()
    client.post(f"/admin/users/{other.id}/role", data={"role": "emperor"})
    db.session.refresh(other)
    assert other.role is Role.LEARNER
    assert client.post("/admin/users/99999/role", data={"role": "admin"}).status_code == 404
