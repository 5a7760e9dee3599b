"""Training validity (A art. 8: untrained agents may not take service work), pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kefu.duties.policy.periods import add_months


@dataclass(frozen=True)
class Certificate:
    course: str
    result: str
    session_on: date
    expires_on: date | None


def expiry(session_on: date, valid_months: int) -> date:
    """The last day a passed session clears its holder: `valid_months` on, minus a day."""
    return date.fromordinal(add_months(session_on, valid_months).toordinal() - 1)


def valid_on(cert: Certificate, day: date) -> bool:
    return cert.result == "passed" and cert.session_on <= day and (cert.expires_on is None or cert.expires_on >= day)


def missing(required: Sequence[str], certificates: Iterable[Certificate], day: date) -> list[str]:
    """The required courses with no valid certificate on `day`, in the order required."""
    valid = {c.course for c in certificates if valid_on(c, day)}
    return [course for course in required if course not in valid]


def uncleared_since(course: str, certificates: Iterable[Certificate], started_on: date) -> date:
    """Since when a course is missing: the day after its last certificate expired, or the day
    the person started on the position if they never passed it."""
    ended = [c.expires_on for c in certificates if c.course == course and c.result == "passed" and c.expires_on]
    return date.fromordinal(max(ended).toordinal() + 1) if ended else started_on


def certificate_prefix(course: str, year: int) -> str:
    """What every certificate a session of `course` issues in `year` starts with."""
    return f"{course.upper()}-{year}-"


def certificate_numbers(course: str, year: int, issued: Iterable[str], count: int) -> list[str]:
    """`count` new certificate numbers for passes of `course` in `year`, after those `issued`
    already (the tenant's): PRE_JOB-2026-0001, -0002…; never reused, never renumbered."""
    prefix = certificate_prefix(course, year)
    taken = [int(n[len(prefix):]) for n in issued if n.startswith(prefix) and n[len(prefix):].isdigit()]
    start = max(taken, default=0) + 1
    return [f"{prefix}{seq:04d}" for seq in range(start, start + count)]
