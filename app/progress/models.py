"""What each learner has done: readings opened and read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import db, utcnow


class ReadingProgress(db.Model):
    __tablename__ = "reading_progress"
    __table_args__ = (UniqueConstraint("user_id", "reading_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    reading_id: Mapped[int] = mapped_column(ForeignKey("reading.id", ondelete="CASCADE"), index=True)
    first_opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # "marked" (the learner pressed the button) or "end" (the learner scrolled to the end)
    read_how: Mapped[str | None] = mapped_column(String(16))

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
