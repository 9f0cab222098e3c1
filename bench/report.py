"""``results/pages.md``: the page figures at 10,000 and 1,000,000 documents side by side, the reminder scan,
the throughput runs and the generator's timings, from the JSON files in ``results/``."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_MS = 100.0
TARGET_PDF_MS = 1000.0
TARGET_SCAN_MS = 1000.0
TARGET_GROWTH = 1.5
TARGET_RPS = 200.0


def _load(name: str) -> dict | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def _cell(page: dict | None, key: str) -> str:
    if not page:
        return "—"
    if not page.get("available", True):
        return "n/a"
    value = page.get(key)
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _slowest(page: dict | None) -> str:
    if not page or not page.get("slowest_sql"):
        return ""
    sql = " ".join(page["slowest_sql"]["sql"].split())
    return f"{page['slowest_sql']['ms']:g} ms: `{sql[:90]}…`"


def write_markdown(small: str = "10k", large: str = "1m") -> Path:
    a, b = _load(f"pages-{small}.json"), _load(f"pages-{large}.json")
    ref = b or a or {}
    machine = ref.get("machine", {})
    lines = [
        "# Page benchmark: 10,000 and 1,000,000 documents",
        "",
        f"Measured {', '.join(x['measured_at'] for x in (a, b) if x)} (UTC) · {machine.get('cpus', '?')} × "
        f"{machine.get('cpu_model', '?')}, {machine.get('ram', '?')} RAM · {machine.get('postgres', '?')} "
        f"(shared_buffers {machine.get('shared_buffers', '?')}, work_mem {machine.get('work_mem', '?')}) · "
        f"Python {machine.get('python', '?')}. Load average when measured (1/5/15 min): "
        + "; ".join(
            f"{x['scale']}: {x['machine'].get('load_average_before', '?')} → "
            f"{x['machine'].get('load_average', '?')}"
            for x in (a, b)
            if x
        )
        + " (the machine is shared: other work running at the same time inflates the figures).",
        "",
        "Server time through Django's full stack (test client, `bench.settings`: DEBUG off), "
        f"{ref.get('reps', 50)} requests after 3 warm-ups ({ref.get('pdf_reps', 10)} for the PDF); "
        "queries = SQL statements of one request. Targets: p95 ≤ 100 ms (register PDF ≤ 1 s), "
        "p95 at 1M ≤ 1.5 × p95 at 10k. "
        "Personas: see `pages-*.json`; none is a superuser.",
        "",
        f"| Page | Persona | p50 {small} | p95 {small} | p50 {large} | p95 {large} | "
        f"queries {small} / {large} | "
        f"p95 {large}/{small} | Target met |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    names = list((b or {}).get("pages", {})) or list((a or {}).get("pages", {}))
    for name in names:
        pa = (a or {}).get("pages", {}).get(name)
        pb = (b or {}).get("pages", {}).get(name)
        page = pb or pa
        title = page["title"]
        if not (page.get("available", True)):
            lines.append(
                f"| {title} | {page['persona']} | n/a | n/a | n/a | n/a | — | — | not available yet |"
            )
            continue
        ratio = ""
        met = ""
        limit = TARGET_PDF_MS if name == "register_pdf" else TARGET_MS
        if pa and pb and pa.get("available") and pb.get("available") and pa["p95_ms"]:
            r = pb["p95_ms"] / pa["p95_ms"]
            ratio = f"{r:.2f}"
            ok = pb["p95_ms"] <= limit and r <= TARGET_GROWTH and pb["ok"]
            met = "yes" if ok else "**no**"
            if not pb["ok"]:
                met += f" (errors: {pb['statuses']})"
        elif pb and pb.get("available"):
            met = "yes" if pb["p95_ms"] <= limit and pb["ok"] else "**no**"
        elif pa and pa.get("available"):
            met = f"({small} only) " + ("yes" if pa["p95_ms"] <= limit and pa["ok"] else "**no**")
        queries = f"{_cell(pa, 'queries')} / {_cell(pb, 'queries')}"
        lines.append(
            f"| {title} | {page['persona']} | {_cell(pa, 'p50_ms')} | {_cell(pa, 'p95_ms')} | "
            f"{_cell(pb, 'p50_ms')} | "
            f"{_cell(pb, 'p95_ms')} | {queries} | {ratio} | {met} |"
        )
    scans = [
        (label, x.get("reminder_scan"))
        for label, x in ((small, a), (large, b))
        if x and x.get("reminder_scan")
    ]
    if scans:
        lines += [
            "",
            "## Reminder scan",
            "",
            "| Scale | open assignments | with new work: p50 / p95 (marked) | "
            "steady state: p50 / p95 | Target (< 1 s) |",
            "|---|--:|--:|--:|---|",
        ]
        for label, s in scans:
            w, st = s["with_new_work"], s["steady_state"]
            met = "yes" if max(w["p95_ms"], st["p95_ms"]) < TARGET_SCAN_MS else "**no**"
            lines.append(
                f"| {label} | {s['open_assignments']:,} | {w['p50_ms']} / {w['p95_ms']} ms ({w['marked']}) | "
                f"{st['p50_ms']} / {st['p95_ms']} ms | {met} |"
            )
    tps = [(label, _load(f"throughput-{label}.json")) for label in (small, large)]
    tps = [(label, t) for label, t in tps if t]
    if tps:
        lines += [
            "",
            "## Throughput (gunicorn, 2 sync workers, `wrk -t2 -c16 -d30s` on loopback)",
            "",
            "| Scale | URL | requests/s | latency p50 / p99 | non-200 | socket errors "
            "| Target (≥ 200 req/s, no errors) |",
            "|---|---|--:|--:|--:|--:|---|",
        ]
        for label, t in tps:
            for run in t["runs"]:
                target = ""
                if run["name"] == "officer_todo":
                    target = "yes" if run["requests_per_s"] >= TARGET_RPS and not run["errors"] else "**no**"
                lines.append(
                    f"| {label} | {run['name']} `{run['path']}` | {run['requests_per_s']:.1f} | "
                    f"{run['latency_p50_ms']} / {run['latency_p99_ms']} ms | {run['non_200']} | "
                    f"{run['socket_errors']} | {target} |"
                )
    lines += ["", "## Slowest SQL statement per page", ""]
    for label, x in ((large, b), (small, a)):
        if not x:
            continue
        lines += [f"At {label} (plans: [`plans-{label}.md`](plans-{label}.md)):", ""]
        for name, page in x["pages"].items():
            if page.get("available", True) and page.get("slowest_sql"):
                lines.append(
                    f"- {name} ({page.get('sql_ms', '?')} ms of SQL in {page['queries']} queries "
                    "of one request; slowest statement of three requests: " + _slowest(page)
                )
        lines.append("")
        break
    gens = [(label, _load(f"province-{label}.json")) for label in (small, large)]
    gens = [(label, g) for label, g in gens if g]
    if gens:
        lines += [
            "## Generator (`province.py`)",
            "",
            "| Scale | documents | assignments | history rows | "
            "load (COPY) | indexes | VACUUM ANALYZE | total | database |",
            "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for label, g in gens:
            rows, s = g["rows"], g["seconds"]
            docs = rows.get("documents_incomingdocument", 0) + rows.get("documents_outgoingdocument", 0)
            lines.append(
                f"| {label} | {docs:,} | {rows.get('workflow_assignment', 0):,} | "
                f"{rows.get('workflow_historyentry', 0):,} | {s.get('documents', 0)} s | "
                f"{s.get('restore_indexes', 0)} s | "
                f"{s.get('analyze', 0)} s | {s.get('total', 0)} s | {g.get('database_size', '')} |"
            )
        lines.append("")
    path = RESULTS / "pages.md"
    path.write_text("\n".join(lines) + "\n")
    return path


if __name__ == "__main__":
    print(write_markdown())
