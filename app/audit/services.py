"""Recording audit entries, in the same transaction as the change they describe."""

from __future__ import annotations

from typing import Any

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.db import db


def record(
    action: str,
    *,
    actor: User | None,
    subject: User | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry to the current transaction: it commits or rolls back with the change."""
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor else None,
        subject_id=subject.id if subject else None,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        details=details,
    )
    db.session.add(entry)
    return entry
