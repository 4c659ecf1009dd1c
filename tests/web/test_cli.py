"""The command line exactly as the operations guide documents it."""

from __future__ import annotations

import shutil

from app.accounts import services
from app.accounts.models import User
from app.accounts.roles import Role
from app.courseware.models import Course, Reading
from app.db import db
from tests.conftest import SAMPLE_COURSEWARE


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_users_create_reads_the_password_from_stdin(app):
    result = run(app, "users", "create", "--email", "Trainer@Example.kz", "--name", "Ерлан", "--role", "trainer",
                 input="a long enough password\n")
    assert result.exit_code == 0, result.output
    user = services.authenticate("trainer@example.kz", "a long enough password")
    assert user is not None and user.role is Role.TRAINER


def test_users_create_refuses_bad_input_with_one_line_and_non_zero_exit(app):
    result = run(app, "users", "create", "--email", "x@example.kz", "--name", "X", input="short\n")
    assert result.exit_code != 0 and "at least" in result.output
    bad_role = run(app, "users", "create", "--email", "y@example.kz", "--name", "Y", "--role", "god", input="x\n")
    assert bad_role.exit_code != 0
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_users_set_role(app):
    run(app, "users", "create", "--email", "l@example.kz", "--name", "L", input="a long enough password\n")
    assert run(app, "users", "set-role", "l@example.kz", "admin").exit_code == 0
    assert services.find_user_by_email("l@example.kz").role is Role.ADMIN
    from app.audit.models import AuditEntry

    entry = db.session.scalar(db.select(AuditEntry))
    assert (entry.action, entry.details) == ("role.changed", {"old": "learner", "new": "admin"})
    missing = run(app, "users", "set-role", "nobody@example.kz", "admin")
    assert missing.exit_code != 0 and "no account" in missing.output


def test_demo_creates_its_accounts_once_and_prints_their_passwords(app):
    first = run(app, "demo")
    assert first.exit_code == 0, first.output
    lines = [line.split()[:3] for line in first.output.splitlines() if line.startswith("  ") and "@demo" in line
             and not line.strip().startswith("certificate")]
    assert {email for _, email, _ in lines} == {"learner@demo.sanaly.kz", "trainer@demo.sanaly.kz",
                                                "admin@demo.sanaly.kz", "graduate@demo.sanaly.kz"}
    for _role, email, password in lines:
        assert services.authenticate(email, password) is not None
    again = run(app, "demo")
    assert again.exit_code == 0 and "@demo.sanaly.kz " not in again.output


def test_courseware_check_and_load(app, tmp_path):
    assert run(app, "courseware", "check", str(SAMPLE_COURSEWARE)).exit_code == 0
    result = run(app, "courseware", "load", str(SAMPLE_COURSEWARE))
    assert result.exit_code == 0 and "unchanged" in result.output


def test_a_failed_load_changes_nothing(app, tmp_path):
    broken = tmp_path / "courseware"
    shutil.copytree(SAMPLE_COURSEWARE, broken)
    course_yaml = broken / "sample-course" / "course.yaml"
    course_yaml.write_text(course_yaml.read_text().replace("Sample course", "Changed title"))
    (broken / "sample-course" / "02-second" / "readings" / "01-gamma.kk.md").unlink()
    result = run(app, "courseware", "load", str(broken))
    assert result.exit_code != 0
    assert "01-gamma.kk.md" in result.output
    assert db.session.scalar(db.select(Course)).title["en"] == "Sample course"


def test_reloading_changed_content_keeps_progress_and_retires_removed_readings(app, client, tmp_path):
    from tests.conftest import login, make_user

    user = make_user()
    login(client, user)
    client.post("/courses/sample-course/modules/first/readings/beta/read")
    changed = tmp_path / "courseware"
    shutil.copytree(SAMPLE_COURSEWARE, changed)
    module = changed / "sample-course" / "01-first" / "module.yaml"
    module.write_text(module.read_text().replace("  - 01-alpha\n", ""))
    alpha = changed / "sample-course" / "01-first" / "readings"
    for path in alpha.glob("02-beta.*.md"):
        path.write_text(path.read_text().replace("BETA", "BETA-v2"))
    result = run(app, "courseware", "load", str(changed))
    assert result.exit_code == 0, result.output
    readings = {r.slug: r for r in db.session.scalars(db.select(Reading))}
    assert readings["alpha"].retired and not readings["beta"].retired
    page = client.get("/courses/sample-course/modules/first").get_data(as_text=True)
    assert 'value="50"' in page  # beta stayed read, alpha is gone; the quiz remains
    assert "BETA-v2" in client.get("/courses/sample-course/modules/first/readings/beta").get_data(as_text=True)


def test_the_demo_graduate_has_done_the_course_through_the_real_services(app):
    from app.courseware.models import Course
    from app.progress.items import progress_of

    result = run(app, "demo")
    assert result.exit_code == 0
    graduate = services.find_user_by_email("graduate@demo.sanaly.kz")
    course = db.session.scalar(db.select(Course))
    progress = progress_of(db.session, course, [graduate.id])[graduate.id]
    done = {s.item.kind.value for m in progress.modules for s in m.statuses if s.state.value == "done"}
    assert done == {"reading", "quiz", "scenario", "assignment"} and progress.complete
    from app.certificates.models import Certificate

    certificate = db.session.scalar(db.select(Certificate).where(Certificate.user_id == graduate.id))
    assert certificate is not None and certificate.code in result.output
