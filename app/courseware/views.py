"""The course as learners and visitors see it: home, welcome, modules, readings, glossary."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.courseware import services
from app.db import db
from app.i18n import pick
from app.progress.items import progress_of
from app.progress.services import progress_by_reading, record_opened
from app.security import public

bp = Blueprint("courseware", __name__, template_folder="templates")


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _module_bars(courses) -> dict:
    """Each module's completion bar for the signed-in learner (nothing for visitors)."""
    user_id = _user_id()
    if user_id is None:
        return {}
    bars = {}
    for course in courses:
        progress = progress_of(db.session, course, [user_id])[user_id]
        bars.update({m.id: progress.module(m.slug) for m in course.modules})
    return bars


@bp.route("/")
@public
def home():
    """Every course and its modules, with the learner's progress when signed in."""
    courses = services.course_outlines(db.session)
    return render_template("courseware/home.html", courses=courses, bars=_module_bars(courses))


@bp.route("/courses/<course_slug>/welcome")
@public
def welcome(course_slug: str):
    """The course's welcome page."""
    course = services.course_outline(db.session, course_slug)
    return render_template("courseware/welcome.html", course=course, page=pick(course.welcome))


@bp.route("/courses/<course_slug>/modules/<module_slug>")
@public
def module(course_slug: str, module_slug: str):
    """A module: objectives, readings and the features' sections, with what the learner has done."""
    course = services.course_outline(db.session, course_slug)
    module = services.find_module(course, module_slug)
    progress = progress_by_reading(_user_id(), [r.id for r in module.readings])
    return render_template("courseware/module.html", course=course, module=module, progress=progress,
                           bar=_module_bars([course]).get(module.id),
                           sections=services.module_sections(module, current_user))


@bp.route("/courses/<course_slug>/modules/<module_slug>/readings/<reading_slug>")
@public
def reading(course_slug: str, module_slug: str, reading_slug: str):
    """One reading in the learner's language (or Kazakh, with a note)."""
    course = services.course_outline(db.session, course_slug)
    module = services.find_module(course, module_slug)
    reading = services.find_reading(module, reading_slug)
    services.reading_with_text(db.session, reading.id)
    user_id = _user_id()
    if user_id is not None:
        record_opened(user_id, reading.id)
        db.session.commit()
    progress = progress_by_reading(user_id, [reading.id]).get(reading.id)
    index = module.readings.index(reading)
    neighbours = (module.readings[index - 1] if index else None,
                  module.readings[index + 1] if index + 1 < len(module.readings) else None)
    return render_template("courseware/reading.html", course=course, module=module, reading=reading,
                           text=pick(reading.versions), progress=progress, neighbours=neighbours)


@bp.route("/courses/<course_slug>/glossary")
@public
def glossary(course_slug: str):
    """The course's key terms in the learner's language."""
    course = services.course_outline(db.session, course_slug)
    return render_template("courseware/glossary.html", course=course,
                           terms=services.glossary(db.session, course))
