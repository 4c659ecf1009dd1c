"""What a run measured, against the issue's targets, as a Markdown report (bench/results/<engine>.md)."""

from __future__ import annotations

import statistics
from pathlib import Path

READ_PAGES = ("course", "module", "reading", "quiz", "quiz attempt page")
POST_PAGES = ("quiz answer POST", "scenario choice POST")
READ_RATIO, READ_P99, POST_RATIO, NODES_RATIO, STAFF_RATIO = 0.5, 4.0, 0.25, 1.7, 10.0
# "Memory does not grow with N": the 10,000-learner export may peak at most this much above the 1,000 one.
EXPORT_GROWTH_KB = 10 * 1024
JOURNEY_P95_MS = 2000


def _median(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else 0.0


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def page_summary(results: dict) -> dict[str, dict]:
    """Per page: the median over rounds of its throughput as a share of the same round's baseline, and more."""
    rounds = results.get("rounds", [])
    summary = {}
    for page in rounds[0] if rounds else ():
        runs = [r[page] for r in rounds]
        base = [r["baseline"] for r in rounds]
        ratios = [run["rps"] / b["rps"] for run, b in zip(runs, base, strict=True) if b["rps"]]
        p99 = _median(run["p99"] for run in runs)
        base_p99 = _median(b["p99"] for b in base)
        cpu_ratios = [b["cpu_ms_per_request"] / run["cpu_ms_per_request"] for run, b in zip(runs, base, strict=True)
                      if run.get("cpu_ms_per_request") and b.get("cpu_ms_per_request")]
        summary[page] = {
            "rps": _median(run["rps"] for run in runs), "ratio": _median(ratios), "ratios": ratios,
            "cpu_ms": _median(run.get("cpu_ms_per_request") for run in runs), "cpu_ratio": _median(cpu_ratios),
            **{p: _median(run[p] for run in runs) for p in ("p50", "p95", "p99")},
            "p99_ratio": p99 / base_p99 if base_p99 else None,
            "errors": sum(run["run_failures"] + run["exceptions"] for run in runs),
            "peak_rss_kb": max(run["peak_rss_kb"] for run in runs),
        }
    return summary


def _queries(results: dict, page: str) -> str:
    queries = results.get("queries", {})
    learner = queries.get("learner_pages", {}).get(page)
    if learner:
        return " / ".join(str(n) for n in learner.values())
    staff = queries.get("staff_pages", {})
    matrix = [n for url, n in staff.items() if url.endswith("/progress") or "/progress?" in url]
    return " / ".join(str(n) for n in matrix) if page == "progress matrix" and matrix else "–"


def _target(page: str, row: dict) -> tuple[str, str]:
    if page in READ_PAGES:
        ok = row["ratio"] >= READ_RATIO and (row["p99_ratio"] or 0) <= READ_P99
        return f"≥ {READ_RATIO} ×, p99 ≤ {READ_P99:g} ×", _yes(ok)
    if page in POST_PAGES:
        return f"≥ {POST_RATIO} ×", _yes(row["ratio"] >= POST_RATIO)
    return "–", "–"


def pages_table(results: dict) -> list[str]:
    summary = page_summary(results)
    base = summary.get("baseline", {})
    lines = ["| page | req/s | × baseline (median of rounds) | CPU ms per request | × baseline by CPU | p50 ms | "
             "p95 ms | p99 ms | p99 × baseline | errors | queries (new / busiest learner) | target | met |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for page, row in summary.items():
        target, met = _target(page, row) if page != "baseline" else ("–", "–")
        ratios = ", ".join(f"{r:.2f}" for r in row["ratios"])
        lines.append(
            f"| {page} | {row['rps']:.0f} | {row['ratio']:.2f} ({ratios}) | {row['cpu_ms']:.1f} | "
            f"{row['cpu_ratio']:.2f} | {row['p50']:.0f} | {row['p95']:.0f} | "
            f"{row['p99']:.0f} | {row['p99_ratio']:.1f} | {row['errors']} | "
            f"{'2' if page == 'baseline' else _queries(results, page)} | {target} | {met} |")
    if base:
        lines.append("")
        lines.append(f"Peak RSS per worker: baseline {base['peak_rss_kb'] / 1024:.0f} MB, Sanaly "
                     f"{max(r['peak_rss_kb'] for p, r in summary.items() if p != 'baseline') / 1024:.0f} MB.")
    return lines


def journey_table(results: dict) -> list[str]:
    lines = ["| users | req/s | pages p50 ms | pages p95 ms | pages p99 ms | sign-in p50 ms | failures | "
             "peak RSS per worker | sustained |", "|---|---|---|---|---|---|---|---|---|"]
    for step in results.get("journey", []):
        failures = step["failures"] + sum(e["count"] for e in step["exceptions"])
        pages = step.get("pages", step)
        sign_in = next((e["p50"] for e in step["entries"].values() if e["name"] == "sign in POST" and e["requests"]),
                       "–")
        lines.append(f"| {step['users']} | {step['rps']:.0f} | {pages['p50']} | {pages['p95']} | {pages['p99']} | "
                     f"{sign_in} | {failures} | {step['peak_rss_kb'] / 1024:.0f} MB | "
                     f"{_yes(journey_sustained(step))} |")
    return lines


def journey_sustained(step: dict) -> bool:
    return step["failures"] == 0 and not step["exceptions"] and step.get("pages", step)["p95"] <= JOURNEY_P95_MS


def writes_table(results: dict) -> list[str]:
    lines = ["| page | connections | req/s | p99 ms | errors | `database is locked` in the log |",
             "|---|---|---|---|---|---|"]
    for run in results.get("writes", []):
        lines.append(f"| {run['page']} | {run['users']} | {run['rps']:.0f} | {run['p99']} | "
                     f"{run['run_failures'] + run['exceptions']} | {run['database_locked']} |")
    return lines


def nodes_summary(results: dict) -> dict | None:
    rounds = results.get("nodes")
    if not rounds:
        return None
    ratios = [r["two nodes"]["rps"] / r["one node"]["rps"] for r in rounds if r["one node"]["rps"]]
    per_cpu = [(r["one node"]["requests_per_cpu_second"], r["two nodes"]["requests_per_cpu_second"]) for r in rounds]
    efficiency = [two / one for one, two in per_cpu if one and two]
    return {"one": _median(r["one node"]["rps"] for r in rounds),
            "two": _median(r["two nodes"]["rps"] for r in rounds),
            "ratio": _median(ratios), "ratios": ratios, "cpu_efficiency": _median(efficiency),
            "errors": sum(r[k]["run_failures"] + r[k]["exceptions"] for r in rounds for k in r)}


def staff_table(results: dict) -> list[str]:
    lines = ["| page | access | median ms | baseline median ms | × baseline | queries | ≤ 10 × |",
             "|---|---|---|---|---|---|---|"]
    queries = results.get("queries", {}).get("staff_pages", {})
    for page in results.get("staff_pages", []):
        ratio = page["median_ms"] / page["baseline_median_ms"] if page["baseline_median_ms"] else 0
        ok = ratio <= STAFF_RATIO and page["statuses"] == [200]
        lines.append(f"| `{page['url']}` | {page['access']} | {page['median_ms']:.0f} | "
                     f"{page['baseline_median_ms']:.1f} | {ratio:.1f} | {queries.get(page['url'], '–')} | "
                     f"{_yes(ok)}{'' if page['statuses'] == [200] else ' (status ' + str(page['statuses']) + ')'} |")
    return lines


def export_table(results: dict) -> list[str]:
    lines = ["| learners | seconds | MB | RSS before | peak RSS | growth |", "|---|---|---|---|---|---|"]
    for run in results.get("export", []):
        lines.append(f"| {run['learners']} | {run['seconds']} | {run['bytes'] / 1e6:.1f} | "
                     f"{run['rss_before_kb'] / 1024:.0f} MB | {run['peak_rss_kb'] / 1024:.0f} MB | "
                     f"{(run['peak_rss_kb'] - run['rss_before_kb']) / 1024:.0f} MB |")
    return lines


def export_growth_kb(results: dict) -> int | None:
    runs = results.get("export", [])
    small = [r["peak_rss_kb"] for r in runs if r["learners"].startswith("1000 ")]
    large = [r["peak_rss_kb"] for r in runs if not r["learners"].startswith("1000 ")]
    return max(large) - max(small) if small and large else None


def markdown(results: dict) -> str:
    machine = results["machine"]
    out = [f"# Sanaly on {results['engine']}: {results['learners']} learners", "",
           f"Machine: {machine['cpus']} × {machine['cpu']}, {machine['memory_gb']} GB, Python {machine['python']}; "
           f"load average at the start {', '.join(f'{x:.1f}' for x in machine['load_average_at_start'])}. "
           f"gunicorn: {results.get('gunicorn', {}).get('workers')} workers × "
           f"{results.get('gunicorn', {}).get('threads')} threads (gunicorn.conf.py). "
           f"Seeded in {results.get('seed_seconds')} s ({results.get('seed_output', '')}). "
           f"Whole run: {results.get('minutes')} min.", "",
           f"## Key pages: {results['settings']['users']} concurrent users, no think time, "
           f"{results['settings']['rounds']} rounds alternating with the baseline", "", *pages_table(results), "",
           "## The journey (Moodle-style test plan: sign in, course, module, two readings, a quiz attempt page by "
           "page, the scenario, sign out; trainers: matrix, grading queue, statistics)", "",
           f"Think times {results['settings'].get('journey_think', '2,6').replace(',', '–')} s; learners arrive "
           f"{results['settings'].get('arrivals')} a second; {results['settings'].get('journey_seconds'):g} s "
           "measured after the ramp. Sustained: no error, and the pages' p95 under 2 s (signing in, a deliberately "
           "slow password hash, is shown apart).", "", *journey_table(results), "",
           "## Writes at many connections", "", *writes_table(results), ""]
    nodes = nodes_summary(results)
    if nodes:
        out += ["## One node against two behind nginx (one gunicorn process per node)", "",
                f"One node {nodes['one']:.0f} req/s, two nodes {nodes['two']:.0f} req/s: **{nodes['ratio']:.2f} ×** "
                f"(rounds: {', '.join(f'{r:.2f}' for r in nodes['ratios'])}); requests per CPU-second of the app "
                f"processes, two nodes against one: {nodes['cpu_efficiency']:.2f}; errors {nodes['errors']}.", ""]
    growth = export_growth_kb(results)
    out += ["## Staff pages with the whole data set, one request at a time", "", *staff_table(results), "",
            "## CSV export of the progress matrix (one process, one thread)", "", *export_table(results), ""]
    if growth is not None:
        out.append(f"Peak RSS of the largest export above the 1,000-learner one: {growth / 1024:.1f} MB "
                   f"(target: memory does not grow with N, here ≤ {EXPORT_GROWTH_KB // 1024} MB): "
                   f"{_yes(growth <= EXPORT_GROWTH_KB)}.")
    return "\n".join(out) + "\n"


def nginx_conf(workdir: Path, ports: dict[str, int]) -> str:
    """nginx in front of the two nodes, as deploy/nginx.conf (least_conn, keepalive), on 127.0.0.1 only."""
    tmp = workdir / "nginx-tmp"
    proxy = """        location / {
            proxy_pass http://%s;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Request-ID $request_id;
        }"""
    return f"""worker_processes 1;
pid {workdir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream one_node {{ server 127.0.0.1:{ports['node-a']}; keepalive 32; keepalive_timeout 60s; }}
    upstream two_nodes {{
        least_conn;
        server 127.0.0.1:{ports['node-a']};
        server 127.0.0.1:{ports['node-b']};
        keepalive 32;
        keepalive_timeout 60s;
    }}
    server {{
        listen 127.0.0.1:{ports['one-node']};
{proxy % 'one_node'}
    }}
    server {{
        listen 127.0.0.1:{ports['two-nodes']};
{proxy % 'two_nodes'}
    }}
}}
"""


def side_by_side(runs: dict[str, dict]) -> str:
    """The key figures of several runs (SQLite, PostgreSQL) in one set of tables, for docs/performance.md."""
    engines = list(runs)
    summaries = {engine: page_summary(results) for engine, results in runs.items()}
    pages = [p for p in next(iter(summaries.values())) if p != "baseline"]
    out = ["| page | target | " + " | ".join(f"{e}: × baseline (by CPU) | {e}: p99 × baseline | {e}: met"
                                              for e in engines) + " |",
           "|---|---|" + "---|---|---|" * len(engines)]
    for page in pages:
        cells = []
        for engine in engines:
            row = summaries[engine][page]
            target, met = _target(page, row)
            cells.append(f"{row['ratio']:.2f} ({row['cpu_ratio']:.2f}) | {row['p99_ratio']:.1f} | {met}")
        out.append(f"| {page} | {target} | " + " | ".join(cells) + " |")
    out += ["", "| staff page | " + " | ".join(f"{e}: median ms | {e}: × baseline" for e in engines) + " |",
            "|---|" + "---|---|" * len(engines)]
    staff = {engine: {p["endpoint"]: p for p in results.get("staff_pages", [])} for engine, results in runs.items()}
    for endpoint, first in staff[engines[0]].items():
        url = first["url"]
        cells = []
        for engine in engines:
            page = staff[engine].get(endpoint)
            ratio = page["median_ms"] / page["baseline_median_ms"] if page else 0
            cells.append(f"{page['median_ms']:.0f} | {ratio:.1f} ({_yes(ratio <= STAFF_RATIO)})" if page else "– | –")
        out.append(f"| `{url}` | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import json
    import sys

    print(side_by_side({Path(name).stem: json.loads(Path(name).read_text()) for name in sys.argv[1:]}))
