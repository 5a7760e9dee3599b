"""The sweep's decision for one tenant, as a plain function: what to close, open, remind, and
whether the half-year round is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kefu.surveys.policy.schedule import due_work

NOW = datetime(2026, 5, 8, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
TODAY = date(2026, 5, 8)
SETTING = {"enabled": True, "first_half_opens": "05-01", "second_half_opens": "11-01",
           "duration_days": 14, "reminder_after_days": 7}


def live(id_: int, status: str, opened_days_ago: float, closes_in_days: float, remind_after: int = 7,
         reminded: bool = False) -> dict:
    return {"id": id_, "status": status, "opens_at": NOW - timedelta(days=opened_days_ago),
            "closes_at": NOW + timedelta(days=closes_in_days), "reminder_after_days": remind_after,
            "reminders_sent_at": NOW if reminded else None}


@pytest.mark.parametrize(
    ("rounds", "setting", "has_half", "close", "half", "open_", "remind"),
    [
        ([], None, False, [], False, [], []),
        ([], SETTING, False, [], True, [], []),
        ([], SETTING, True, [], False, [], []),
        ([], {**SETTING, "enabled": False}, False, [], False, [], []),
        ([], {**SETTING, "first_half_opens": "05-20"}, False, [], False, [], []),
        ([live(1, "open", 14, 0)], None, False, [1], False, [], []),  # closes now
        ([live(1, "scheduled", 1, -1)], None, False, [1], False, [], []),  # window passed unopened
        ([live(2, "scheduled", 0, 5)], None, False, [], False, [2], []),
        ([live(2, "scheduled", -1, 5)], None, False, [], False, [], []),  # opens tomorrow
        ([live(3, "open", 7, 7)], None, False, [], False, [], [3]),
        ([live(3, "open", 6.9, 7)], None, False, [], False, [], []),
        ([live(3, "open", 8, 7, reminded=True)], None, False, [], False, [], []),
        ([live(3, "open", 8, 7, remind_after=0)], None, False, [], False, [], []),
        ([live(4, "open", 20, -1)], None, False, [4], False, [], []),  # closing wins over reminding
    ],
)
def test_due_work(rounds, setting, has_half, close, half, open_, remind):
    work = due_work(rounds, setting, has_half, NOW, TODAY)
    assert (work.close, work.half_year, work.open, work.remind) == (close, half, open_, remind)
    assert bool(work) == bool(close or half or open_ or remind)
