"""The whole measurement against one database engine: `bench/run.sh sqlite|postgresql` (see docs/performance.md).

It seeds a fresh database, starts the baseline and Sanaly under gunicorn (gunicorn.conf.py, 127.0.0.1 only),
measures them alternately for several rounds, then the journey with think times, writes at 64 connections,
one node against two behind nginx (PostgreSQL), every staff page one request at a time and the CSV export's
memory; it stops every process it started, by PID, and writes bench/results/<engine>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess  # the benchmark's own commands only  # nosec B404
import sys
import tempfile
import time
from pathlib import Path

from app.bench.plan import EMAIL, TRAINER_EMAIL, Stage, learner_plan, trainer_count
from bench import harness, report
from bench.harness import HOST, VENV_BIN, Browser, LoadRun, MemorySampler, Server, log

ROOT = harness.ROOT
PAGES = ("course", "module", "reading", "quiz", "quiz attempt page", "quiz answer POST", "scenario choice POST",
         "progress matrix")
WRITE_PAGES = ("quiz answer POST", "scenario choice POST", "reading")
PORTS = {"sanaly": 8000, "baseline": 8100, "export": 8002, "node-a": 8003, "node-b": 8004, "one-node": 8080,
         "two-nodes": 8081}
PG = "postgresql://postgres@127.0.0.1:5432/"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__.splitlines()[0])
    parser.add_argument("engine", choices=("sqlite", "postgresql"))
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--certificates", default="200",
                        help="certificates issued while seeding (a fifth of a second each); the other completers "
                             "stay eligible")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of baseline and pages")
    parser.add_argument("--seconds", type=float, default=6, help="measured seconds per page and round")
    parser.add_argument("--warmup", type=float, default=3, help="seconds before the statistics restart")
    parser.add_argument("--users", type=int, default=16, help="concurrent users in the per-page runs")
    parser.add_argument("--write-users", type=int, default=64, help="concurrent users on the POST pages")
    parser.add_argument("--journey-users", default="25,50,100", help="steps of the journey with think times")
    parser.add_argument("--arrivals", type=float, default=2, help="learners arriving per second in the journey")
    parser.add_argument("--journey-seconds", type=float, default=30)
    parser.add_argument("--node-rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None, help="databases and logs (default /tmp/...)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    return parser.parse_args(argv)


class Run:
    """One run: its settings, the servers it started, and what it measured."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.engine = args.engine
        self.workdir = args.workdir or Path(tempfile.gettempdir()) / f"sanaly-bench-{args.engine}"
        self.password = secrets.token_urlsafe(12)
        self.servers: list[Server] = []
        self.started = time.monotonic()
        self.measure_index = 0
        self.scenario_sessions_used = 0
        self.results: dict = {"engine": args.engine, "learners": args.learners, "commit": commit(),
                              "settings": vars(args) | {
            "workdir": str(self.workdir), "out": str(args.out)}, "machine": machine()}
        base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SANALY_INSTANCE")}
        self.app_env = {**base, "SANALY_INSTANCE": str(self.workdir / "instance"),
                        "SECRET_KEY": secrets.token_urlsafe(32), "RATELIMIT_ENABLED": "0", "LOG_FORMAT": "json",
                        "BASE_URL": f"http://{HOST}:{PORTS['sanaly']}"}
        self.baseline_env = dict(base)
        if self.engine == "postgresql":
            self.app_env |= {"DATABASE_URL": PG + "sanaly_bench", "REDIS_URL": "redis://127.0.0.1:6379/15"}
            self.baseline_env["BASELINE_DATABASE_URL"] = PG + "sanaly_bench_baseline"
        else:
            self.baseline_env["BASELINE_DATABASE_URL"] = f"sqlite:///{self.workdir / 'baseline.db'}"
        self.locust_env = {**base, "BENCH_SITE": str(self.workdir / "site.json"), "BENCH_PASSWORD": self.password}

    def elapsed(self) -> str:
        return f"{(time.monotonic() - self.started) / 60:.1f} min"

    # --- preparing -------------------------------------------------------------------------------------------

    def command(self, *args: str, env: dict[str, str], out: Path | None = None, timeout: float = 900) -> None:
        with (out.open("w") if out else open(os.devnull, "w")) as stdout:  # noqa: SIM115
            subprocess.run(args, cwd=ROOT, env=env, stdout=stdout, check=True, timeout=timeout)  # noqa: S603  # nosec B603

    def prepare(self) -> None:
        if self.workdir.exists():
            shutil.rmtree(self.workdir)
        (self.workdir / "instance").mkdir(parents=True)
        if self.engine == "postgresql":
            for name in ("sanaly_bench", "sanaly_bench_baseline"):
                self.command("dropdb", "-h", HOST, "-U", "postgres", "--if-exists", name, env=self.app_env)
                self.command("createdb", "-h", HOST, "-U", "postgres", name, env=self.app_env)
        flask = [str(VENV_BIN / "flask"), "--app", "wsgi"]
        log(f"schema, course, and the data set of {self.args.learners} learners")
        self.command(*flask, "db", "upgrade", env=self.app_env)
        self.command(*flask, "courseware", "load", env=self.app_env)
        started = time.monotonic()
        self.command(*flask, "bench", "seed", "--learners", str(self.args.learners), "--password", self.password,
                     "--certificates", self.args.certificates, env=self.app_env, out=self.workdir / "seed.log")
        self.results["seed_seconds"] = round(time.monotonic() - started, 1)
        self.results["seed_output"] = (self.workdir / "seed.log").read_text().strip().splitlines()[-3]
        log(f"seeded in {self.results['seed_seconds']} s: {self.results['seed_output']}")
        self.command(str(VENV_BIN / "python"), "-m", "bench.baseline.app", "seed", env=self.baseline_env)
        self.command(str(VENV_BIN / "python"), "-m", "bench.load.site", env=self.app_env,
                     out=self.workdir / "site.json")
        self.site = json.loads((self.workdir / "site.json").read_text())
        log("counting queries per page")
        self.command(str(VENV_BIN / "python"), "-m", "bench.queries", str(self.workdir / "site.json"),
                     self.password, env=self.app_env, out=self.workdir / "queries.json")
        self.results["queries"] = json.loads((self.workdir / "queries.json").read_text())

    # --- servers ---------------------------------------------------------------------------------------------

    def serve(self, name: str, app: str, env: dict[str, str], port: int, check: str) -> Server:
        server = harness.gunicorn(name, app, env, port, self.workdir)
        self.servers.append(server)
        harness.wait_until_up(server, check)
        return server

    def stop(self, server: Server) -> None:
        server.stop()
        self.servers.remove(server)

    def stop_all(self) -> None:
        for server in list(self.servers):
            try:
                self.stop(server)
            except Exception as error:  # keep stopping the others
                log(f"could not stop {server.name} (pid {server.pid}): {error}")

    # --- measuring ---------------------------------------------------------------------------------------------

    def sign_in_pools(self, sanaly: Server) -> None:
        """Sessions for the per-page runs: learners, learners who never played the scenario (one slice per
        scenario run, so each starts afresh), trainers."""
        args = self.args
        learners = max(args.users, args.write_users)
        playing = [n for n in range(learners + 1, args.learners + 1)
                   if not learner_plan(1, n).reached(Stage.PLAYING)][:args.rounds * args.users + args.write_users]
        trainers = [TRAINER_EMAIL.format(i % trainer_count(args.learners) + 1) for i in range(args.users)]
        base = f"http://{HOST}:{sanaly.port}"
        started = time.monotonic()
        pools = {"learners": harness.sign_in_many(base, [EMAIL.format(n) for n in range(1, learners + 1)],
                                                  self.password),
                 "playing": harness.sign_in_many(base, [EMAIL.format(n) for n in playing], self.password),
                 "trainers": harness.sign_in_many(base, trainers, self.password)}
        path = self.workdir / "sessions.json"
        path.write_text(json.dumps(pools))
        self.locust_env["BENCH_SESSIONS"] = str(path)
        log(f"{sum(map(len, pools.values()))} sessions signed in in {time.monotonic() - started:.0f} s")

    def locust(self, label: str, host: str, run: LoadRun) -> dict:
        self.measure_index += 1
        out = self.workdir / "locust" / f"{self.measure_index:03d}-{label.replace(' ', '-')}.json"
        out.parent.mkdir(exist_ok=True)
        return harness.run_locust(run, host, out, self.locust_env, self.workdir / "locust.log")

    def page_run(self, page: str, users: int, seconds: float, host: str, sampled: list[Server]) -> dict:
        """One page at full speed; the figures of its own request, the run's errors, the workers' peak RSS."""
        run = LoadRun(users, self.args.warmup + seconds, ["PageUser"],
                      {"BENCH_PAGE": page, "BENCH_WARMUP": str(self.args.warmup)})
        if page == "scenario choice POST":
            run.env["BENCH_SESSION_OFFSET"] = str(self.scenario_sessions_used)
            self.scenario_sessions_used += users
        for server in sampled:
            harness.wait_idle(server, "/articles/1" if server.name == "baseline" else "/healthz")
        logs = {s.name: s.log_path.stat().st_size for s in sampled}
        cpu_before = harness.app_cpu_seconds(sampled)
        with MemorySampler(sampled) as memory:
            summary = self.locust(page, host, run)
        cpu = harness.app_cpu_seconds(sampled) - cpu_before
        entry = next((e for e in summary["entries"].values() if e["name"] == page), None) or {}
        locked = sum(_count_in_log(s.log_path, logs[s.name], "database is locked") for s in sampled)
        return {"page": page, "users": users, "rps": entry.get("rps", 0.0), "requests": entry.get("requests", 0),
                "p50": entry.get("p50"), "p95": entry.get("p95"), "p99": entry.get("p99"),
                "failures": entry.get("failures", 0), "run_failures": summary["failures"],
                "exceptions": sum(e["count"] for e in summary["exceptions"]), "errors": summary["errors"][:5],
                "peak_rss_kb": max(memory.peak_kb.values()), "app_cpu_seconds": round(cpu, 2),
                # The servers' CPU per request over the whole run: far steadier than req/s on a shared machine.
                "cpu_ms_per_request": 1000 * cpu / max(1, summary["requests"] + summary.get("requests_in_warmup", 0)),
                "database_locked": locked}

    def measure_pages(self, baseline: Server, sanaly: Server) -> list[dict]:
        """Baseline then each key page, round after round; the order of the pages turns each round."""
        rounds = []
        for number in range(self.args.rounds):
            log(f"round {number + 1} of {self.args.rounds} ({self.elapsed()})")
            shift = number % len(PAGES)
            order = PAGES[shift:] + PAGES[:shift]
            measured = {"baseline": self.page_run("baseline", self.args.users, self.args.seconds,
                                                  f"http://{HOST}:{baseline.port}", [baseline])}
            for page in order:
                measured[page] = self.page_run(page, self.args.users, self.args.seconds,
                                               f"http://{HOST}:{sanaly.port}", [sanaly])
                log(f"  {page}: {measured[page]['rps']:.0f}/s against baseline {measured['baseline']['rps']:.0f}/s")
            rounds.append(measured)
        return rounds

    def measure_journey(self, sanaly: Server) -> list[dict]:
        steps = []
        for users in (int(u) for u in self.args.journey_users.split(",")):
            waited = harness.wait_idle(sanaly, "/healthz")
            # Learners arrive a few a second, as Moodle's plan ramps up: a hundred sign-ins in the same second
            # would measure the password hash (slow on purpose), not the course.
            ramp = max(5.0, users / self.args.arrivals)
            # Learners from the second half: the per-page runs' sessions stay signed in.
            run = LoadRun(users, ramp + self.args.journey_seconds, ["Learner", "Trainer"],
                          {"BENCH_WARMUP": str(ramp), "BENCH_FIRST_LEARNER": str(self.args.learners // 2 + 1)},
                          spawn_rate=users / ramp)
            with MemorySampler([sanaly]) as memory:
                summary = self.locust(f"journey-{users}", f"http://{HOST}:{sanaly.port}", run)
            summary["users"] = users
            summary["ramp_seconds"] = ramp
            summary["waited_for_idle_seconds"] = round(waited, 1)
            summary["peak_rss_kb"] = memory.peak_kb[sanaly.name]
            steps.append(summary)
            log(f"journey with {users} users: {summary['rps']:.0f} req/s, p95 {summary['p95']} ms, "
                f"{summary['failures']} failures ({self.elapsed()})")
        return steps

    def measure_writes(self, sanaly: Server) -> list[dict]:
        host = f"http://{HOST}:{sanaly.port}"
        results = [self.page_run(page, self.args.write_users, self.args.seconds + 4, host, [sanaly])
                   for page in WRITE_PAGES]
        for result in results:
            log(f"{result['page']} at {result['users']} connections: {result['rps']:.0f}/s, "
                f"{result['failures']} failures, {result['database_locked']} 'database is locked'")
        return results

    def measure_nodes(self) -> list[dict]:
        """One node against two behind nginx, alternately; a node here is one gunicorn process."""
        env = {**self.app_env, "WEB_CONCURRENCY": "1"}
        nodes = [self.serve("node-a", "wsgi:app", env, PORTS["node-a"], "/healthz"),
                 self.serve("node-b", "wsgi:app", env, PORTS["node-b"], "/healthz")]
        nginx = self.start_nginx()
        rounds = []
        try:
            for number in range(self.args.node_rounds):
                measured = {}
                for label, port, sampled in (("one node", PORTS["one-node"], nodes[:1]),
                                             ("two nodes", PORTS["two-nodes"], nodes)):
                    result = self.page_run("module", 2 * self.args.users, self.args.seconds,
                                           f"http://{HOST}:{port}", sampled)
                    result["requests_per_cpu_second"] = (result["requests"] / result["app_cpu_seconds"]
                                                         if result["app_cpu_seconds"] else None)
                    measured[label] = result
                log(f"nodes round {number + 1}: one {measured['one node']['rps']:.0f}/s, "
                    f"two {measured['two nodes']['rps']:.0f}/s")
                rounds.append(measured)
        finally:
            self.stop(nginx)
            for node in nodes:
                self.stop(node)
        return rounds

    def start_nginx(self) -> Server:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        conf = self.workdir / "nginx.conf"
        conf.write_text(report.nginx_conf(self.workdir, PORTS))
        (self.workdir / "nginx-tmp").mkdir(exist_ok=True)
        server = harness.start("nginx", [nginx, "-p", str(self.workdir), "-e", str(self.workdir / "nginx-error.log"),
                                         "-c", str(conf), "-g", "daemon off;"], self.app_env, PORTS["one-node"],
                               self.workdir / "nginx.log")
        self.servers.append(server)
        harness.wait_until_up(server, "/healthz")
        return server

    def time_staff_pages(self, baseline: Server, sanaly: Server, samples: int = 5) -> list[dict]:
        """Every trainer and admin page one request at a time, each request beside one of the baseline's."""
        staff = Browser(f"http://{HOST}:{sanaly.port}")
        staff.sign_in("admin@bench.sanaly.kz", self.password)
        base = Browser(f"http://{HOST}:{baseline.port}")
        results = []
        for page in self.site["staff_pages"]:
            first = staff.get(page["url"])[1]  # the first request of a page compiles its templates
            page_times, base_times, statuses = [], [], set()
            for number in range(samples if first < 2 else 3):  # bounded: a slow page gets three samples
                base_times.append(base.get(f"/articles/{number + 1}")[1])
                status, seconds, _ = staff.get(page["url"])
                statuses.add(status)
                page_times.append(seconds)
            results.append({**page, "median_ms": 1000 * statistics.median(page_times),
                            "baseline_median_ms": 1000 * statistics.median(base_times), "statuses": sorted(statuses)})
        return results

    def measure_export(self) -> list[dict]:
        """The streamed CSV of 1,000 learners (a cohort) and of all, twice each, on a one-process server."""
        env = {**self.app_env, "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "1"}
        server = self.serve("export", "wsgi:app", env, PORTS["export"], "/healthz")
        try:
            trainer = Browser(f"http://{HOST}:{server.port}")
            trainer.sign_in("trainer1@bench.sanaly.kz", self.password)
            matrix = next(p["url"] for p in self.site["staff_pages"] if p["endpoint"] == "progress.matrix")
            trainer.get(matrix)
            cohort = next((c for c in self.site["cohorts"] if c["size"] == 1000), self.site["cohorts"][0])
            worker = server.workers()[0]
            before = harness.rss_kb(worker)
            results = []
            for _ in range(2):
                for label, query in ((f"{cohort['size']} learners", f"?cohort={cohort['id']}"),
                                     (f"{self.site['learners']} learners", "")):
                    with MemorySampler([server], interval=0.02) as memory:
                        status, seconds, size = trainer.get(matrix + ".csv" + query, timeout=600)
                    results.append({"learners": label, "status": status, "seconds": round(seconds, 2),
                                    "bytes": size, "rss_before_kb": before, "peak_rss_kb": memory.peak_kb["export"]})
                    log(f"CSV of {label}: {seconds:.1f} s, {size / 1e6:.1f} MB, "
                        f"peak RSS {memory.peak_kb['export'] / 1024:.0f} MB (before {before / 1024:.0f} MB)")
            return results
        finally:
            self.stop(server)

    def warm_up(self, sanaly: Server) -> None:
        """Every page once per worker or so, so the first measurement does not pay for template compiling."""
        learner = Browser(f"http://{HOST}:{sanaly.port}")
        learner.sign_in("learner1@bench.sanaly.kz", self.password)
        course = f"/courses/{self.site['course']}"
        module = self.site["modules"][0]
        paths = ["/", f"{course}/modules/{module['slug']}", f"{course}/modules/{module['slug']}/readings/"
                 f"{module['readings'][0]}", f"/quizzes/{module['quiz']}", "/dashboard"]
        for _ in range(4):
            for path in paths:
                learner.get(path)


def _count_in_log(path: Path, offset: int, text: str) -> int:
    with path.open("rb") as log_file:
        log_file.seek(offset)
        return log_file.read().decode("utf-8", "replace").count(text)


def commit() -> str:
    command = [shutil.which("git") or "/usr/bin/git", "rev-parse", "--short", "HEAD"]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=10)  # noqa: S603  # nosec B603
        return done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"cpus": os.cpu_count(), "cpu": model, "memory_gb": round(memory / 1024 / 1024, 1),
            "python": platform.python_version(), "load_average_at_start": os.getloadavg()}


def main(argv: list[str]) -> int:
    run = Run(parse(argv))
    args = run.args
    log(f"{args.engine}: {args.learners} learners, {args.rounds} rounds, workdir {run.workdir}")
    run.prepare()
    try:
        baseline = run.serve("baseline", "bench.baseline.app:app", run.baseline_env, PORTS["baseline"], "/articles/1")
        sanaly = run.serve("sanaly", "wsgi:app", run.app_env, PORTS["sanaly"], "/healthz")
        run.results["gunicorn"] = {"workers": len(sanaly.workers()),
                                   "threads": run.app_env.get("GUNICORN_THREADS", "4")}
        run.warm_up(sanaly)
        run.sign_in_pools(sanaly)
        run.results["rounds"] = run.measure_pages(baseline, sanaly)
        run.results["journey"] = run.measure_journey(sanaly)
        run.results["writes"] = run.measure_writes(sanaly)
        run.results["staff_pages"] = run.time_staff_pages(baseline, sanaly)
        run.stop(sanaly)
        run.stop(baseline)
        run.results["export"] = run.measure_export()
        if args.engine == "postgresql":
            run.results["nodes"] = run.measure_nodes()
    finally:
        run.stop_all()
    run.results["minutes"] = round((time.monotonic() - run.started) / 60, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.engine}.json").write_text(json.dumps(run.results, indent=1, ensure_ascii=False))
    (args.out / f"{args.engine}.md").write_text(report.markdown(run.results))
    log(f"done in {run.results['minutes']} min: {args.out / (args.engine + '.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
