"""What every command shares: one clear error, and its async work run to the end."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class CliError(Exception):
    pass


def run(coro: Coroutine[Any, Any, Any]) -> None:
    asyncio.run(coro)
