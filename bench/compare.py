"""A/B page benchmark: the pages of ``bench/pages.py`` measured with an earlier commit and with the current
checkout, alternately, on the same province database, so that a refactoring can show it made no page slower.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eo_bench_10k REDIS_URL=redis://127.0.0.1:6379/13 \
        .venv/bin/python bench/compare.py --before a548a26 --rounds 2 --name refactor-15

The earlier commit is checked out in a temporary ``git worktree``. Each round measures "before" then
"after" (``--rounds`` of each, interleaved: before, after, before, after, …), each in its own process
started from its own tree with ``bench.settings``, so that drift of the machine over time hits both. The
run-to-run noise of a page is the spread of its p50 between the rounds of the same code; a page is
"slower" only when its p50 after exceeds the slowest p50 before by more than that noise. The database must
exist (``bench/province.py --docs 10000 --reset``); nothing is written to it (the reminder scan is left out).
Results: ``results/<name>.json`` and ``results/<name>.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

RUNNER = """
import json, os, sys
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
import django
django.setup()
from bench import pages
pages.ensure_static()
from django.utils import timezone
only = set(sys.argv[3].split(",")) if sys.argv[3] else {
    p["name"] for p in pages.page_plan(pages.load_personas(), today=timezone.localdate())
}
reps, pdf_reps = int(sys.argv[1]), int(sys.argv[2])
result = pages.run(reps=reps, pdf_reps=pdf_reps, only=only, scale="ab", log=lambda *a: None)
json.dump(result, open(sys.argv[4], "w"), ensure_ascii=False, default=str)
"""


def measure(tree: Path, *, reps: int, pdf_reps: int, only: list[str], out: Path) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    subprocess.run(
        [sys.executable, "-c", RUNNER, str(reps), str(pdf_reps), ",".join(only), str(out)],
        cwd=tree,
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


def summarise(name: str, before_ref: str, after_ref: str, runs: dict[str, list[dict]]) -> tuple[dict, str]:
    pages = list(runs["after"][0]["pages"])
    rows, verdicts = [], {}
    for page in pages:
        b = [r["pages"][page] for r in runs["before"] if page in r["pages"]]
        a = [r["pages"][page] for r in runs["after"] if page in r["pages"]]
        if not b or not a or not all(x.get("available", True) and "p50_ms" in x for x in (*a, *b)):
            continue
        b50, a50 = [x["p50_ms"] for x in b], [x["p50_ms"] for x in a]
        b95, a95 = [x["p95_ms"] for x in b], [x["p95_ms"] for x in a]
        noise = max(max(b50) - min(b50), max(a50) - min(a50))
        slower = min(a50) > max(b50) + noise
        ratio = statistics.median(a50) / statistics.median(b50)
        verdicts[page] = {
            "before_p50_ms": b50,
            "after_p50_ms": a50,
            "before_p95_ms": b95,
            "after_p95_ms": a95,
            "queries_before": b[0].get("queries"),
            "queries_after": a[0].get("queries"),
            "noise_ms": round(noise, 2),
            "ratio_p50": round(ratio, 3),
            "slower_beyond_noise": slower,
        }
        rows.append(
            f"| {page} | {' / '.join(f'{v:g}' for v in b50)} | {' / '.join(f'{v:g}' for v in a50)} | "
            f"{' / '.join(f'{v:g}' for v in b95)} | {' / '.join(f'{v:g}' for v in a95)} | "
            f"{b[0].get('queries')} → {a[0].get('queries')} | {noise:.1f} | {ratio:.2f} | "
            f"{'**yes**' if slower else 'no'} |"
        )
    first = runs["after"][0]
    md = "\n".join(
        [
            f"# Page benchmark before and after: {name}",
            "",
            f"Measured {first['measured_at']} (UTC) on `{first['database']}` "
            f"({first['documents']:,} documents), {first['reps']} timed requests per page per run. "
            f"Before: `{before_ref}`; after: `{after_ref}`. Runs interleaved (before, after, …), "
            f"{len(runs['before'])} of each; figures in ms of server time "
            "through Django's full stack (see `pages.py`). Load average before the first run: "
            f"{first['machine'].get('load_average_before')}.",
            "",
            "Noise = the larger spread of p50 between runs of the same code. Slower = the best p50 after is "
            "above the worst p50 before by more than the noise.",
            "",
            "| Page | p50 before | p50 after | p95 before | p95 after | queries | noise | p50 after/before "
            "| Slower beyond noise |",
            "|---|--:|--:|--:|--:|--:|--:|--:|---|",
            *rows,
            "",
        ]
    )
    return verdicts, md


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="the earlier commit")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--pdf-reps", type=int, default=10)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--name", default="compare")
    args = parser.parse_args()
    before_ref = git("rev-parse", "--short", args.before)
    after_ref = git("rev-parse", "--short", "HEAD")
    changed = [line for line in git("status", "--porcelain").splitlines() if "bench/results/" not in line]
    if changed:
        after_ref += " + uncommitted changes"
    only = [s for s in args.only.split(",") if s] or []
    runs: dict[str, list[dict]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory(prefix="eo-bench-") as tmp:
        tree = Path(tmp) / "before"
        git("worktree", "add", "--detach", str(tree), args.before)
        try:
            for i in range(args.rounds):
                for label, where in (("before", tree), ("after", ROOT)):
                    out = Path(tmp) / f"{label}-{i}.json"
                    result = measure(where, reps=args.reps, pdf_reps=args.pdf_reps, only=only, out=out)
                    runs[label].append(result)
                    print(f"round {i + 1} {label}: done", flush=True)
        finally:
            git("worktree", "remove", "--force", str(tree))
    verdicts, md = summarise(args.name, before_ref, after_ref, runs)
    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = {"before": before_ref, "after": after_ref, "pages": verdicts}
    (RESULTS / f"{args.name}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    (RESULTS / f"{args.name}.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
