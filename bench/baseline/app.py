"""The benchmark's baseline: the least a Flask + SQLAlchemy page does, to measure Sanaly against.

One record with its children (two queries), rendered by a Jinja template that extends a base layout (about
3.5 KB of HTML), served by gunicorn with Sanaly's own gunicorn.conf.py against the same database engine.
Only same-run ratios to this page count: the machine's speed drifts between runs, the ratio much less.

    BASELINE_DATABASE_URL=sqlite:////tmp/baseline.db python -m bench.baseline.app seed
    BASELINE_DATABASE_URL=sqlite:////tmp/baseline.db gunicorn -c gunicorn.conf.py bench.baseline.app:app
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta

from flask import Flask, abort, render_template
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, String, Text, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

RECORDS = 200
CHILDREN = 6


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Article(db.Model):
    __tablename__ = "baseline_article"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(120))
    lead: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime]


class Comment(db.Model):
    __tablename__ = "baseline_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("baseline_article.id"), index=True)
    author: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime]


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """The same SQLite settings as Sanaly's (app/db.py)."""
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "busy_timeout=10000", "synchronous=NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def database_url() -> str:
    url = os.environ.get("BASELINE_DATABASE_URL", "sqlite:////tmp/sanaly-baseline.db")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url()
    db.init_app(app)

    @app.get("/articles/<int:article_id>")
    def article(article_id: int):
        """One record (first query) with its children (second query)."""
        found = db.session.get(Article, article_id) or abort(404)
        comments = db.session.scalars(select(Comment).where(Comment.article_id == found.id).order_by(Comment.id))
        return render_template("article.html", article=found, comments=list(comments))

    return app


def seed(app: Flask) -> None:
    """RECORDS articles with CHILDREN comments each, in a fresh schema."""
    start = datetime(2026, 9, 1, tzinfo=UTC)
    words = ["media", "coverage", "of", "an", "incident", "needs", "verified", "facts", "careful", "words", "and",
             "respect", "for", "the", "victims", "rather", "than", "the", "attacker's", "message"]
    with app.app_context():
        db.drop_all()
        db.create_all()
        for i in range(1, RECORDS + 1):
            db.session.add(Article(id=i, title=f"Report {i}: covering an incident responsibly",
                                   author=f"Author {i % 17}", lead=" ".join(words * 3),
                                   published_at=start + timedelta(hours=i)))
            for j in range(CHILDREN):
                db.session.add(Comment(article_id=i, author=f"Reader {(i * 7 + j) % 101}",
                                       text=" ".join(words[j:] + words[:j]),
                                       posted_at=start + timedelta(hours=i, minutes=j)))
        db.session.commit()


app = create_app()

if __name__ == "__main__":
    if sys.argv[1:] != ["seed"]:
        sys.exit("usage: python -m bench.baseline.app seed")
    seed(app)
    print(f"baseline: {RECORDS} articles with {CHILDREN} comments each in {database_url()}")
