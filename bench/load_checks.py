"""Checks and reports of bench/load.py: the per-phase table, the lost-update
check against the database, the fault-phase timeline and the aims.

The lost-update check compares what each client was told with what the
database holds after the phase: every PATCH answered 200 left its token in the
action's text and no PATCH answered 412 did; the action's ``row_version`` moved
by exactly the number of tokens in the text; every POST answered 201 left one
progress update and no refused POST did. A write that got no answer or a 5xx
(only expected in the fault phase) may have landed or not: it is counted
separately as "errored writes that landed", not as lost.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

from load_client import Record, Shared


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarise(records: list[Record], seconds: float) -> dict:
    """Counts and latencies (ms) of some records."""
    times = [r.seconds * 1000 for r in records]
    statuses: dict[str, int] = {}
    for r in records:
        key = str(r.status) if r.status is not None else "no response"
        statuses[key] = statuses.get(key, 0) + 1
    return {
        "requests": len(records),
        "rps": len(records) / seconds if seconds else 0.0,
        "p50_ms": statistics.median(times) if times else 0.0,
        "p95_ms": percentile(times, 0.95),
        "max_ms": max(times, default=0.0),
        "statuses": dict(sorted(statuses.items())),
        "errors": sum(1 for r in records if r.error),
        "stale_412": sum(1 for r in records if r.status == 412),
    }


def table(records: list[Record], seconds: float) -> tuple[list[str], dict]:
    """Lines of a table, one row per label plus the total, and its data."""
    labels = sorted({r.label for r in records})
    rows = {
        label: summarise([r for r in records if r.label == label], seconds)
        for label in labels
    }
    rows["total"] = summarise(records, seconds)
    head = (
        f"{'request':<20} {'count':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'max ms':>8} {'errors':>6} {'412':>5}  statuses"
    )
    lines = [head, "-" * len(head)]
    for label, row in rows.items():
        statuses = " ".join(f"{k}:{v}" for k, v in row["statuses"].items())
        lines.append(
            f"{label:<20} {row['requests']:>7} {row['rps']:>7.1f} "
            f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['max_ms']:>8.1f} "
            f"{row['errors']:>6} {row['stale_412']:>5}  {statuses}"
        )
    return lines, rows


def lost_updates(before: dict, after: dict, shared: Shared) -> dict:
    """Compare what the clients were told with what the database holds."""
    out = {
        "patch_200_missing": 0,
        "patch_412_written": 0,
        "row_version_mismatch": 0,
        "patch_unknown_landed": 0,
        "per_action": {},
    }
    for action, (v0, _) in before["actions"].items():
        v1, text = after["actions"][action]
        mine = [(tok, st) for a, tok, st in shared.patches if a == action]
        ok = [tok for tok, st in mine if st == 200]
        present = [tok for tok, _ in mine if tok in text]
        unknown = [tok for tok, st in mine if st not in (200, 412) and tok in text]
        out["patch_200_missing"] += sum(1 for tok in ok if tok not in text)
        out["patch_412_written"] += sum(
            1 for tok, st in mine if st == 412 and tok in text
        )
        out["patch_unknown_landed"] += len(unknown)
        out["row_version_mismatch"] += int(v1 - v0 != len(present))
        out["per_action"][action] = {
            "patch_200": len(ok),
            "patch_412": sum(st == 412 for _, st in mine),
            "row_version_delta": v1 - v0,
            "tokens_in_text": len(present),
        }
    rows = Counter(after["progress"])
    told = dict(shared.posts)
    out["post_201"] = sum(st == 201 for st in told.values())
    out["progress_rows"] = sum(rows.values())
    out["post_201_missing"] = sum(
        1 for t, st in told.items() if st == 201 and not rows[t]
    )
    out["post_refused_written"] = sum(
        1
        for t, st in told.items()
        if st is not None and st < 500 and st != 201 and rows[t]
    )
    out["post_duplicated"] = sum(1 for n in rows.values() if n > 1)
    out["post_unknown_landed"] = sum(
        1 for t, st in told.items() if (st is None or st >= 500) and rows[t]
    )
    out["lost"] = sum(
        out[k]
        for k in (
            "patch_200_missing",
            "patch_412_written",
            "row_version_mismatch",
            "post_201_missing",
            "post_refused_written",
            "post_duplicated",
        )
    )
    return out


def fault_report(shared: Shared, fault: dict, seconds: float, args) -> dict:
    """The outage as the clients saw it. Before: requests that ended before
    PostgreSQL was stopped; after: requests that started once it was up again;
    during: the rest (in flight while it went down, or sent while it was down)."""
    recs = sorted(shared.records, key=lambda r: r.start)
    down, up = fault.get("down", seconds), fault.get("up", seconds)
    errors = [r for r in recs if r.error]
    good_after = [r.end for r in recs if not r.error and r.end > up]
    tail = [r for r in recs if r.start >= seconds - 10]
    before = sum(1 for r in errors if r.end < down)
    after = sum(1 for r in errors if r.start >= up)
    return {
        **fault,
        "errors_before": before,
        "errors_during": len(errors) - before - after,
        "errors_after": after,
        "error_kinds": dict(Counter(r.error for r in errors)),
        "first_error_s": errors[0].start if errors else None,
        "last_error_end_s": max((r.end for r in errors), default=None),
        "first_success_after_up_s": min(good_after) - up if good_after else None,
        "timeouts": sum(1 for r in errors if "Timeout" in r.error),
        "last_10s_requests": len(tail),
        "last_10s_errors": sum(1 for r in tail if r.error),
    }


def aims(results: dict, args) -> list[str]:
    missed = []
    if "load" in results:
        load = results["load"]
        if load["table"]["total"]["errors"]:
            missed.append(f"load: {load['table']['total']['errors']} errors")
        if load["lost_updates"]["lost"] or load["lost_updates"]["patch_unknown_landed"]:
            missed.append("load: lost or unaccounted updates")
    if "fault" in results:
        f = results["fault"]["fault"]
        if f["errors_before"]:
            missed.append(f"fault: {f['errors_before']} errors before the restart")
        if f["timeouts"] or results["fault"]["longest_request_s"] >= args.timeout:
            missed.append("fault: a request hung until the client timeout")
        if f["last_10s_errors"] or not f["last_10s_requests"]:
            missed.append("fault: not recovered (errors or silence in the last 10 s)")
        if results["fault"]["lost_updates"]["lost"]:
            missed.append("fault: lost updates")
    return missed


def server_errors(log_path: Path) -> tuple[dict, int]:
    """The exception names the server logged, most common first, and how many
    workers gunicorn booted (more than it was asked for means restarts)."""
    names = Counter()
    boots = 0
    for line in log_path.read_text(errors="replace").splitlines():
        boots += "Booting worker" in line
        if "ERROR" in line or "Traceback" in line:
            names.update(set(re.findall(r"\b(\w+(?:Error|Exception))\b", line)))
    return dict(names.most_common(8)), boots


def print_phase(name: str, result: dict) -> None:
    print(f"\n== {name}: {result['seconds']:.1f} s ==")
    print("\n".join(result["lines"]))
    lu = result["lost_updates"]
    print(
        f"lost updates: {lu['lost']} (PATCH 200 missing {lu['patch_200_missing']}, "
        f"412 written {lu['patch_412_written']}, row_version mismatches "
        f"{lu['row_version_mismatch']}; POST 201 {lu['post_201']} vs rows "
        f"{lu['progress_rows']}, 201 missing {lu['post_201_missing']}); "
        f"errored writes that landed: PATCH {lu['patch_unknown_landed']}, "
        f"POST {lu['post_unknown_landed']}"
    )
    for action, row in lu["per_action"].items():
        print(f"  action {action}: {row}")
    if "fault" in result:
        f = result["fault"]
        fmt = lambda v: "-" if v is None else f"{v:.2f} s"  # noqa: E731
        print(
            f"fault: PostgreSQL down at {fmt(f.get('down'))}, up at "
            f"{fmt(f.get('up'))}; errors before/during/after "
            f"{f['errors_before']}/{f['errors_during']}/{f['errors_after']} "
            f"{f['error_kinds']}"
        )
        print(
            f"  errors from {fmt(f['first_error_s'])} to "
            f"{fmt(f['last_error_end_s'])}; first success "
            f"{fmt(f['first_success_after_up_s'])} after PostgreSQL was up; "
            f"longest request {result['longest_request_s']:.2f} s; last 10 s: "
            f"{f['last_10s_requests']} requests, {f['last_10s_errors']} errors"
        )
