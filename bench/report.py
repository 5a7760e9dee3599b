"""The figures: one dict (printed as a JSON line) and a compact table. Ratios to 2 decimals."""

from __future__ import annotations

import json
import os
import statistics
from typing import Any

from bench.options import Options

SERIES = ("page_small", "ceiling_small", "page_big", "ceiling_big")
LABELS = {
    "page_small": "page, 1k tenant",
    "ceiling_small": "ceiling, 1k tenant",
    "page_big": "page, 1M tenant",
    "ceiling_big": "ceiling, 1M tenant",
}


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def build(
    opts: Options, loaded: Any, migrate_s: float, http: dict[str, Any], measured: dict[str, Any],
    server_version: str, query: dict[str, str],
) -> dict[str, Any]:
    series = http["series"]
    worklist: dict[str, Any] = {}
    ratios: dict[str, Any] = {}
    for conc in opts.concurrency:
        s = {name: series[(name, conc)] for name in SERIES}
        worklist[f"c{conc}"] = {name: s[name].summary() for name in SERIES}
        ratios[f"c{conc}"] = {
            # time ratios: 1.00 is as fast as the ceiling; throughput: the share of its req/s
            "page_vs_ceiling_median": ratio(s["page_small"].median_ms, s["ceiling_small"].median_ms),
            "page_vs_ceiling_p99": ratio(s["page_small"].p99_ms, s["ceiling_small"].p99_ms),
            "page_vs_ceiling_rps": ratio(s["page_small"].rps, s["ceiling_small"].rps),
            "big_page_vs_ceiling_median": ratio(s["page_big"].median_ms, s["ceiling_big"].median_ms),
            "big_vs_small_median": ratio(s["page_big"].median_ms, s["page_small"].median_ms),
            "big_vs_small_p99": ratio(s["page_big"].p99_ms, s["page_small"].p99_ms),
            "big_vs_small_ceiling_median": ratio(s["ceiling_big"].median_ms, s["ceiling_small"].median_ms),
        }
    plans = {
        label: {
            "page": p.page.as_dict(),
            "count": p.count.as_dict() if p.count else None,
            "page_generic_plan": p.page_generic.as_dict(),
            "count_generic_plan": p.count_generic.as_dict() if p.count_generic else None,
        }
        for label, p in measured["plans"].items()
    }
    sw = measured["sweep"]
    steady_ms = statistics.median([r.seconds * 1000 for r in sw.steady]) if sw.steady else 0.0
    sweep = {
        "tenant_complaints": loaded.big.complaints,
        "due_before": sw.due_before,
        "raw_due_ms": round(sw.raw_due_ms, 2),
        "raw_due_query_ms": round(sw.raw_due_query_ms, 2),
        "raw_due_rows": sw.raw_due_rows,
        "run1": sw.first.as_dict(),
        "run2": sw.second.as_dict(),
        "run1_queries": sum(n for _, n, _ in sw.run1_statements),
        "run1_statements": [
            {"statement": k, "count": n, "ms": round(ms, 1)} for k, n, ms in sw.run1_statements
        ],
        "steady_runs": len(sw.steady),
        "steady_median_ms": round(steady_ms, 2),
        "steady_created": sum(r.reminders + r.notices for r in sw.steady),
        "raw_after_ms": round(sw.raw_after_ms, 2),
        "raw_after_query_ms": round(sw.raw_after_query_ms, 2),
        "run1_vs_raw_due": ratio(sw.first.seconds * 1000, sw.raw_due_ms),
        "run2_vs_raw": ratio(sw.second.seconds * 1000, sw.raw_after_ms),
        "steady_vs_raw": ratio(steady_ms, sw.raw_after_ms),
        "second_run_created_none": sw.second.reminders == 0 and sw.second.notices == 0,
        "plan": sw.plan_due.as_dict(),
        "plan_generic": sw.plan_generic.as_dict(),
    }
    return {
        "bench": "kefu worklist and reminder sweep",
        "postgres": server_version,
        "cpus": os.cpu_count(),
        "data": {
            "tenants": loaded.tenants, "per_tenant": opts.per_tenant, "big_tenant": loaded.big.complaints,
            "complaints": loaded.complaints, "open": loaded.open_complaints,
            "small_tenant": loaded.small.slug, "big_tenant_slug": loaded.big.slug,
        },
        "load_s": round(loaded.seconds, 1),
        "migrate_s": round(migrate_s, 1),
        "load_steps_s": {label: round(s, 1) for label, s in loaded.steps},
        "page": "&".join(f"{k}={v}" for k, v in query.items()),
        "rows_on_page": http["rows"],
        "requests": {"warmup": opts.warmup, "measured": opts.requests},
        "worklist": worklist,
        "ratios": ratios,
        "plans": plans,
        "sweep": sweep,
    }


def json_line(result: dict[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False, separators=(",", ":"))


def _r(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def plan_texts(measured: dict[str, Any]) -> str:
    out = []
    for label, p in measured["plans"].items():
        for name, plan in (("page", p.page), ("page, generic", p.page_generic),
                           ("count", p.count), ("count, generic", p.count_generic)):
            if plan is not None:
                out += [f"-- worklist {name}, {label} tenant", *plan.text, ""]
    sw = measured["sweep"]
    out += ["-- reminder sweep query", sw.sql, ""]
    out += ["-- sweep, custom plan", *sw.plan_due.text, "", "-- sweep, generic plan", *sw.plan_generic.text, ""]
    return "\n".join(out)


def table(result: dict[str, Any], measured: dict[str, Any]) -> str:
    d = result["data"]
    out = [
        f"kefu bench · PostgreSQL {result['postgres']} · {result['cpus']} CPUs · "
        f"{d['tenants']:,} tenants, {d['complaints']:,} complaints ({d['open']:,} open) · "
        f"load {result['load_s']} s (+ migrate {result['migrate_s']} s)",
        "",
        f"Worklist ({result['page']}; rows on the page: 1k tenant {result['rows_on_page']['small']}, "
        f"1M tenant {result['rows_on_page']['big']}); {result['requests']['measured']} requests a series",
        f"  {'series':<22}{'conc':>5}{'median ms':>11}{'p99 ms':>10}{'req/s':>9}",
    ]
    for key, per in result["worklist"].items():
        for name in SERIES:
            s = per[name]
            out.append(f"  {LABELS[name]:<22}{key[1:]:>5}{s['median_ms']:>11.2f}{s['p99_ms']:>10.2f}{s['rps']:>9.1f}")
    out += ["", "Ratios (time: page ÷ reference, 1.00 = as fast; throughput: page ÷ ceiling req/s)"]
    rows = [
        ("page ÷ ceiling, median (1k tenant)", "page_vs_ceiling_median"),
        ("page ÷ ceiling, p99 (1k tenant)", "page_vs_ceiling_p99"),
        ("page ÷ ceiling, req/s (1k tenant)", "page_vs_ceiling_rps"),
        ("page ÷ ceiling, median (1M tenant)", "big_page_vs_ceiling_median"),
        ("1M ÷ 1k tenant page, median", "big_vs_small_median"),
        ("1M ÷ 1k tenant page, p99", "big_vs_small_p99"),
        ("1M ÷ 1k tenant ceiling, median", "big_vs_small_ceiling_median"),
    ]
    for label, key in rows:
        cells = "   ".join(f"{c}: {_r(r[key])}" for c, r in result["ratios"].items())
        out.append(f"  {label:<38}{cells}")
    out += ["", "Plans of the worklist's own SQL (EXPLAIN ANALYZE as the app role, tenant set)"]
    for label, p in measured["plans"].items():
        name = "1k" if label == "small" else "1M"
        out.append(f"  page  {name}: {p.page.short()}")
        if p.count:
            out.append(f"  count {name}: {p.count.short()}")
        out.append(f"  page  {name}, generic plan: {p.page_generic.short()}")
        if p.count_generic:
            out.append(f"  count {name}, generic plan: {p.count_generic.short()}")
    s = result["sweep"]
    sw = measured["sweep"]
    out += [
        "",
        f"Reminder sweep (remind_tenant on the {s['tenant_complaints']:,}-complaint tenant; "
        f"{s['due_before']:,} reminders due)",
        f"  raw SQL while due: {s['raw_due_ms']:.2f} ms a tenant transaction "
        f"({s['raw_due_query_ms']:.2f} ms the query), {s['raw_due_rows']} rows",
        f"  run 1: {s['run1']['ms']:.1f} ms, looked at {s['run1']['looked_at']:,}, "
        f"{s['run1']['reminders_created']:,} reminders, {s['run1']['notices_created']:,} notices "
        f"(÷ raw SQL: {_r(s['run1_vs_raw_due'])})",
        "  run 1's queries: " + ", ".join(
            f"{x['statement']} ×{x['count']} {x['ms']:.0f} ms" for x in s["run1_statements"][:6]
        ),
        f"  run 2: {s['run2']['ms']:.2f} ms, looked at {s['run2']['looked_at']:,}, "
        f"{s['run2']['reminders_created']} reminders, {s['run2']['notices_created']} notices "
        f"— second run created none: {'yes' if s['second_run_created_none'] else 'NO'}",
        f"  runs 3–{2 + s['steady_runs']} (nothing due; the worker's statement cache warm): median "
        f"{s['steady_median_ms']:.2f} ms, {s['steady_created']} created",
        f"  raw SQL once nothing is due: {s['raw_after_ms']:.2f} ms ({s['raw_after_query_ms']:.2f} ms the query)"
        f" · run 2 ÷ raw SQL: {_r(s['run2_vs_raw'])} · runs 3+ ÷ raw SQL: {_r(s['steady_vs_raw'])}",
        f"  plan (custom): {sw.plan_due.short()} · index used: {'yes' if sw.plan_due.index_used else 'NO'}",
        f"  plan (generic): {sw.plan_generic.short()} · index used: "
        f"{'yes' if sw.plan_generic.index_used else 'NO'}",
        "",
    ]
    return "\n".join(out)
