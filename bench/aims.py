"""The summary ``make bench`` ends with: every ratio issue 7 sets an aim for,
measured, with the aim, whether it is met, and what limits it when it is not."""

from __future__ import annotations

FLOORED = ("api:dashboard", "api:indicator-value-list")


def aims(
    rows: list[dict],
    framework: dict | None,
    imports: dict | None,
    hostile: list[dict] | None = None,
) -> list:
    """Every ratio the issue sets an aim for, measured, with the aim and
    whether it is met; printed as the last table."""
    found = []
    for row in rows:
        if row["endpoint"] in FLOORED:
            for factor, ratio in zip(("×1", "×10"), row["floor_ratio"], strict=False):
                found.append((f"floor {row['endpoint']} {factor}", ratio, "<=", 3))
    same = sum(1 for row in rows if row["queries_same"])
    found.append(("queries identical at both sizes", same, "==", len(rows)))
    grown = [row for row in rows if "growth" in row]
    over = [row for row in grown if row["growth"] > 1.5]
    found.append(("requests growing > 1.5×", len(over), "==", 0))
    over_size = [row for row in grown if row["growth_per_size"] > 1.5]
    found.append(("… > 1.5× more than their answer", len(over_size), "==", 0))
    if framework:
        found.append(("framework, anonymous", framework["median_ratio"], ">=", 0.5))
        signed_in = framework["median_signed_in_ratio"]
        found.append(("framework, signed in", signed_in, ">=", 0.5))
    if imports:
        found.append(("import / COPY", imports["ratio"], ">=", 0.25))
    if hostile:
        refused = sum(1 for case in hostile if case["outcome"] == "refused")
        found.append(("hostile files refused", refused, "==", len(hostile)))
        peaks = [case["peak_mb"] or float("inf") for case in hostile]
        found.append(("hostile files, highest peak MB", max(peaks), "<=", 300))
    checks = {"<=": float.__le__, ">=": float.__ge__, "==": float.__eq__}
    summary = []
    print(f"\n{'aim':38} {'measured':>10}  aim        met")
    for name, value, op, aim in found:
        met = checks[op](float(value), float(aim))
        shown = f"{value:.3g}" if isinstance(value, float) else str(value)
        print(f"{name:38} {shown:>10}  {op} {aim:<7g} {'yes' if met else 'NO'}")
        summary.append(
            {"aim": name, "measured": value, "op": op, "target": aim, "met": met}
        )
    for row in over:
        print(
            f"  grows {row['growth']:.1f}×, its answer {row['size_growth']:.1f}×: "
            f"{row['endpoint']}"
        )
    unmet = {
        item["aim"].split(" ")[0].rstrip(",") for item in summary if not item["met"]
    }
    if unmet:
        print("\nWhat limits the aims not met (README.md, Performance, in full):")
        for key, text in LIMITS.items():
            if key in unmet:
                print(f"- {key}: {text}")
    return summary


# One line per kind of aim: what limits it when it is not met (measured;
# bench/README.md, "Results", has the numbers).
LIMITS = {
    "floor": "what is left is fixed per request, not per row: session, user and "
    "roles (five queries), the filter form, the count, the model instances",
    "requests": "pages that show more at ×10 (every indicator, every workstream, "
    "select lists of every organisation); per byte of answer they stay within 1.5×",
    "…": "a list's total is an exact count of every row the visitor may see "
    "(100,000 progress updates: 3 ms of the list's 16 at ×10)",
    "framework": "the cached page still reads the data version and the place and "
    "renders the layout (per-request CSP nonce, name, messages) around its body",
    "hostile": "a limit of indicators/import_limits.py that no longer holds, or a "
    "reader that holds the whole file again (bench/hostile_memory.py per file)",
    "import": "PostgreSQL writing ~320,000 index entries and checking ~720,000 "
    "foreign keys; with no Python at all the import would be ~40× a raw COPY",
}
