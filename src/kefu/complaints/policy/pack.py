"""The tenant's complaint policy: tenants/<kind>/complaint_policy.toml, validated into
ComplaintPolicy, then the tenant's own overrides (tenant.settings["complaint_policy"]).

The one part of policy/ that reads a file: the pack's TOML, read once and cached, so the rules
that use the result stay pure.

A broken file fails loudly with the file and the key (`$.decision.days`), like the packs.
"""

from __future__ import annotations

import json
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

from kefu.complaints.policy.deadlines import RUNS_FROM, WORDING_KEYS, ComplaintPolicy, PeriodRule
from kefu.complaints.policy.transitions import CHANNELS, RELATIONS
from kefu.core.packs import PackError
from kefu.settings import get_settings

FILENAME = "complaint_policy.toml"


class PolicyError(PackError):
    pass


def _check_rule(where: str, key: str, rule: PeriodRule) -> None:
    if rule.days < 0:
        raise PolicyError(f"{where}: $.{key}.days: must be >= 0, got {rule.days}")
    if rule.runs_from not in RUNS_FROM:
        raise PolicyError(f"{where}: $.{key}.runs_from: expected one of {RUNS_FROM}")


def validate(policy: ComplaintPolicy, where: str) -> ComplaintPolicy:
    """Rules msgspec's types cannot say; each error names the key."""
    for key in ("materials_notice", "acceptance_notice", "decision"):
        _check_rule(where, key, getattr(policy, key))
    if any(step <= 0 for step in policy.extension_steps):
        raise PolicyError(f"{where}: $.extension_steps: every step must be > 0 days")
    if not 0 <= policy.max_extensions <= len(policy.extension_steps):
        raise PolicyError(
            f"{where}: $.max_extensions: must be between 0 and the number of extension_steps"
        )
    if policy.reminder_days_before < 0:
        raise PolicyError(f"{where}: $.reminder_days_before: must be >= 0")
    if policy.pause_remind_every < 1:
        raise PolicyError(f"{where}: $.pause_remind_every: must be >= 1")
    if not policy.number_prefix.isalnum() or len(policy.number_prefix) > 6:
        raise PolicyError(f"{where}: $.number_prefix: 1-6 letters or digits")
    ground_codes = [g.code for g in policy.grounds]
    for key, code in policy.repeat_grounds.items():
        if code not in ground_codes:
            raise PolicyError(f"{where}: $.repeat_grounds.{key}: unknown ground {code!r}")
    for key, known in (("channels", CHANNELS), ("relations", RELATIONS)):
        listed = [c.code for c in getattr(policy, key)]
        if not listed:
            raise PolicyError(f"{where}: $.{key}: at least one")
        for i, code in enumerate(listed):
            if code not in known:
                raise PolicyError(f"{where}: $.{key}[{i}].code: expected one of {known}, got {code!r}")
            if code in listed[:i]:
                raise PolicyError(f"{where}: $.{key}[{i}].code: duplicate {code!r}")
    for key in policy.wording:
        if key not in WORDING_KEYS:
            raise PolicyError(f"{where}: $.wording.{key}: expected one of {WORDING_KEYS}")
    codes = [c.code for c in policy.categories]
    if not codes:
        raise PolicyError(f"{where}: $.categories: at least one category")
    for i, code in enumerate(codes):
        if code in codes[:i]:
            raise PolicyError(f"{where}: $.categories[{i}].code: duplicate {code!r}")
    return policy


def parse_policy(raw: dict[str, Any], where: str) -> ComplaintPolicy:
    try:
        policy = msgspec.convert(raw, ComplaintPolicy)
    except msgspec.ValidationError as exc:
        raise PolicyError(f"{where}: {exc}") from None
    return validate(policy, where)


@cache
def _pack_raw(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"{path}: file missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML: {exc}") from None


def load_policy(directory: Path) -> ComplaintPolicy:
    path = directory / FILENAME
    return parse_policy(_pack_raw(path), str(path))


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def policy_for(kind: str, tenant_settings: Any = None) -> ComplaintPolicy:
    """The pack's policy for `kind`, with the tenant's overrides from its settings JSON."""
    path = get_settings().tenants_dir / kind / FILENAME
    raw = _pack_raw(path)
    settings = json.loads(tenant_settings) if isinstance(tenant_settings, str) else tenant_settings
    overrides = (settings or {}).get("complaint_policy") or {}
    if not overrides:
        return _cached_policy(path)
    return parse_policy(_merge(raw, overrides), f"{path} + tenant settings")


@cache
def _cached_policy(path: Path) -> ComplaintPolicy:
    return parse_policy(_pack_raw(path), str(path))
