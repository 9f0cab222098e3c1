"""What the module page benchmarks (``meetings_pages.py``, ``complaints_pages.py``) share: measuring a list
of pages for their personas with ``pages.measure`` (the slowest statement composed and explained, each page
as a multiple of the bare view of the same run), the run's JSON, and the Markdown table and plans."""

from __future__ import annotations

import os

from bench.pages import describe_slowest, measure, scale_of_database, url_or_none


def measure_module_pages(pages, *, clients: dict, personas: dict, reps: int, log=print) -> dict:
    """Measure each page of a module's benchmark: ``pages`` are (name, persona, url_name, query, title);
    the slowest statement of each is composed and explained, and each page is also given as a multiple of
    the bare view measured in the same run."""

    results: dict = {}
    for name, persona, url_name, query, title in pages:
        url = url_or_none(url_name)
        if url is not None and query:
            url = f"{url}?{query}"
        entry = {
            "title": title,
            "persona": persona,
            "user": personas[persona]["username"],
            "url_name": url_name,
            "url": url,
        }
        if url is None:
            entry.update({"available": False, "note": "not available: the URL name does not resolve"})
            results[name] = entry
            log(f"{name:16} not available")
            continue
        measured = measure(
            clients[persona], url, reps=reps, expect="text/plain" if name == "bare" else "text/html"
        )
        slowest = measured.pop("_slowest")
        entry.update({"available": True, **measured})
        describe_slowest(entry, slowest)
        results[name] = entry
        log(
            f"{name:16} p50 {entry['p50_ms']:7.1f} ms  p95 {entry['p95_ms']:7.1f} ms  "
            f"{entry['queries']:3d} queries  {'ok' if entry['ok'] else 'FAILED ' + str(entry['statuses'])}"
        )
    bare = results.get("bare", {})
    for name, entry in results.items():
        if name != "bare" and entry.get("available") and bare.get("p50_ms"):
            entry["ratio_p50_to_bare"] = round(entry["p50_ms"] / bare["p50_ms"], 1)
            entry["ratio_p95_to_bare"] = round(entry["p95_ms"] / bare["p95_ms"], 1)
    return results


def module_result(
    *, personas: dict, counts: dict, reps: int, target: float, pages: dict, load_before
) -> dict:
    """The JSON of a module's benchmark run: scale, database, rows, personas, pages, machine."""
    from django.db import connection
    from django.utils import timezone

    from bench.province import machine_info

    label, n_docs = scale_of_database()
    return {
        "scale": label,
        "documents": n_docs,
        "database": connection.settings_dict["NAME"],
        "rows": counts,
        "personas": personas,
        "reps": reps,
        "target_p95_ms": target,
        "pages": pages,
        "machine": {
            **machine_info(),
            "load_average_before": load_before,
            "nice": os.nice(0),
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "measured_at": timezone.now().isoformat(timespec="seconds"),
    }


def pages_table(result: dict) -> list[str]:
    """The Markdown table of a module's pages (p50, p95, multiples of the bare view, queries, verdict)."""
    lines = [
        "| Page | p50 ms | p95 ms | × bare (p50) | × bare (p95) | queries | SQL ms | slowest SQL ms "
        "| status |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for name, page in result["pages"].items():
        if not page.get("available"):
            lines.append(f"| {name}: {page['title']} | – | – | – | – | – | – | – | not available |")
            continue
        slowest = page.get("slowest_sql") or {}
        verdict = "ok" if page["ok"] else f"FAILED {page['statuses']}"
        if name != "bare" and page["ok"]:
            verdict = "within target" if page["p95_ms"] < result["target_p95_ms"] else "OVER TARGET"
        lines.append(
            f"| {name}: {page['title']} | {page['p50_ms']} | {page['p95_ms']} | "
            f"{page.get('ratio_p50_to_bare', '–')} | {page.get('ratio_p95_to_bare', '–')} | "
            f"{page['queries']} | {page['sql_ms']} | {slowest.get('ms', '–')} | {verdict} |"
        )
    return lines


def slowest_statements(result: dict) -> list[str]:
    """The Markdown section with each page's slowest statement and its plan."""
    lines = ["", "## Slowest statement of each page", ""]
    for name, page in result["pages"].items():
        slowest = page.get("slowest_sql")
        if not slowest or name == "bare":
            continue
        lines += [
            f"### {name} — {slowest['ms']} ms ({page['queries']} queries, {page['sql_ms']} ms of SQL)",
            "",
            "```sql",
            slowest["sql"],
            "```",
            "",
            "```",
            *slowest.get("plan", []),
            "```",
            "",
        ]
    return lines


def count_rows(tables) -> dict:
    from django.db import connection

    counts = {}
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - fixed names
            counts[table] = cur.fetchone()[0]
    return counts
