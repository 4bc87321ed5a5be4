"""The record of one consequence of a change, and the order of importance among them.

Owns: :class:`Consequence` and ``RANKS``, shared by the modules that compute
consequences. Must not compute anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RANKS = {
    "threshold": 0,
    "mechanism": 1,
    "judgment": 2,
    "added-removed": 3,
    "status": 4,
    "forecast": 5,
    "recommendation": 6,
    "version": 7,
    "warning": 8,
}
"""Impact order: status transitions first, then judgments, then new or removed entities."""


@dataclass(frozen=True)
class Consequence:
    """One change in what the briefing states."""

    kind: str  # threshold | mechanism | judgment | forecast | recommendation | scenario | warning
    subject: str  # the entity's id or label
    old: str | None
    new: str | None
    text: str  # one plain sentence
    cause: str | None = None
    rank: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "old": self.old,
            "new": self.new,
            "cause": self.cause,
            "text": self.text,
        }
