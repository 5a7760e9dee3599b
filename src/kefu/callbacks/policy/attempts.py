"""What an attempt does to its task (art. 23(2)): reached ends the trying; a failed attempt
counts against the method's limit, and at the limit the task falls back to the next method of
its order, owned by that method's position (and nobody in it yet, so the position's people all
see it in their queues); with no method left the task is unreachable. "Call back later" counts
as no failure and sets the time. Pure: the service applies the result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kefu.core.errors import Refused

OUTCOMES = ("reached", "no_answer", "busy", "wrong_number", "refused", "call_back")
FAILED = frozenset({"no_answer", "busy"})  # count towards the method's limit
# A wrong number cannot be reached by this number again: the phone method is over at once.
ENDS_METHOD = frozenset({"wrong_number"})
OPEN = "open"


@dataclass(frozen=True)
class TaskState:
    methods: tuple[str, ...]
    method_index: int
    failed_attempts: int
    attempt_limit: int
    status: str = OPEN


@dataclass(frozen=True)
class Result:
    status: str  # open | done | unreachable | refused
    method_index: int
    failed_attempts: int
    fell_back: bool = False
    call_back_at: datetime | None = None

    def method(self, methods: tuple[str, ...]) -> str:
        return methods[self.method_index]


def refusal(state: TaskState, outcome: str, call_back_at: datetime | None, now: datetime) -> Refused | None:
    """Why this attempt cannot be logged, or None."""
    if state.status != OPEN:
        return Refused("task_closed", "This callback is no longer open.")
    if outcome not in OUTCOMES:
        return Refused("bad_outcome", "Choose one of the listed values.")
    if outcome == "call_back" and (call_back_at is None or call_back_at <= now):
        return Refused("call_back_time", "Give a time in the future to call back.")
    return None


def _fall_back(state: TaskState, fails: int) -> Result:
    if state.method_index + 1 < len(state.methods):
        return Result(OPEN, state.method_index + 1, 0, fell_back=True)
    return Result("unreachable", state.method_index, fails)


def apply(state: TaskState, outcome: str, call_back_at: datetime | None = None) -> Result:
    """The task after an attempt with `outcome` (checked by `refusal` first)."""
    if outcome == "reached":
        return Result(OPEN, state.method_index, state.failed_attempts)  # the record closes it
    if outcome == "refused":  # the customer declines the callback: no other method either
        return Result("refused", state.method_index, state.failed_attempts)
    if outcome == "call_back":
        return Result(OPEN, state.method_index, state.failed_attempts, call_back_at=call_back_at)
    fails = state.failed_attempts + 1
    if outcome in ENDS_METHOD or fails >= state.attempt_limit:
        return _fall_back(state, fails)
    return Result(OPEN, state.method_index, fails)
