"""The benchmark's machinery: servers it starts and stops (by PID), memory and CPU read from /proc, locust runs,
and a plain HTTP client for timing pages one at a time. Everything listens on and talks to 127.0.0.1 only."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess  # the benchmark's own commands only  # nosec B404
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- processes -----------------------------------------------------------------------------------------------


@dataclass
class Server:
    """A process this run started (gunicorn's master, or nginx), in its own process group."""

    name: str
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def workers(self) -> list[int]:
        return children(self.pid)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM to this server's process group (the master and its workers), SIGKILL if it lingers."""
        if self.process.poll() is not None:
            return
        os.killpg(self.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.process.wait(5)


def start(name: str, command: list[str], env: dict[str, str], port: int, log_path: Path) -> Server:
    log_file = log_path.open("ab")
    # The commands are this run's own (gunicorn, nginx from the venv and Debian), never user input.
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,  # noqa: S603  # nosec B603
                               start_new_session=True)
    return Server(name, process, port, log_path)


def gunicorn(name: str, app: str, env: dict[str, str], port: int, workdir: Path) -> Server:
    """`gunicorn -c gunicorn.conf.py APP` on 127.0.0.1:PORT: the production settings, for Sanaly and baseline."""
    env = {**env, "PORT": str(port), "BIND": f"{HOST}:{port}"}
    return start(name, [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", app], env, port,
                 workdir / f"{name}.log")


def wait_until_up(server: Server, path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited; see {server.log_path}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{server.port}{path}", timeout=2) as response:  # noqa: S310  # nosec B310
                if response.status < 500:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{server.name} did not answer on port {server.port} within {timeout:.0f} s")


def wait_idle(server: Server, path: str, timeout: float = 90, quick: float = 0.3) -> float:
    """Wait (bounded) until the server answers a cheap page quickly: a queue left by the previous measurement
    (sign-ins are slow on purpose) must not be counted against the next one. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        asked = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://{HOST}:{server.port}{path}", timeout=timeout) as response:  # noqa: S310  # nosec B310
                response.read()
        except OSError:
            pass
        if time.monotonic() - asked < quick:
            break
        time.sleep(1)
    return time.monotonic() - started


def children(pid: int) -> list[int]:
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found += [int(child) for child in text]
    except OSError:
        pass
    return found


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int, include_reaped: bool = False) -> float:
    """User + system CPU of a process (and of its reaped children, for a master whose workers restarted)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if include_reaped:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


def app_cpu_seconds(servers: list[Server]) -> float:
    """CPU spent by the servers' workers so far, counting workers that have already been replaced."""
    return sum(cpu_seconds(s.pid, include_reaped=True) - cpu_seconds(s.pid) + sum(map(cpu_seconds, s.workers()))
               for s in servers)


class MemorySampler:
    """Samples the resident memory of each server's workers from /proc while a measurement runs."""

    def __init__(self, servers: list[Server], interval: float = 0.2) -> None:
        self.servers, self.interval = servers, interval
        self.peak_kb: dict[str, int] = {s.name: 0 for s in servers}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for server in self.servers:
                for worker in server.workers():
                    self.peak_kb[server.name] = max(self.peak_kb[server.name], _status_kb(worker, "VmRSS"))
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)


def rss_kb(pid: int) -> int:
    return _status_kb(pid, "VmRSS")


# --- locust ----------------------------------------------------------------------------------------------------


@dataclass
class LoadRun:
    """One headless locust run; its summary is what bench/load/locustfile.py writes at the end."""

    users: int
    seconds: float
    classes: list[str]
    env: dict[str, str] = field(default_factory=dict)
    spawn_rate: float | None = None


def run_locust(run: LoadRun, host: str, out: Path, base_env: dict[str, str], log_path: Path) -> dict:
    env = {**base_env, **run.env, "BENCH_OUT": str(out)}
    command = [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "load" / "locustfile.py"), "--headless",
               "-u", str(run.users), "-r", str(run.spawn_rate or run.users), "-t", f"{run.seconds:.0f}s",
               "--stop-timeout", "5", "-H", host, "--only-summary", "--loglevel", "WARNING", *run.classes]
    out.unlink(missing_ok=True)
    with log_path.open("ab") as log_file:
        subprocess.run(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,  # noqa: S603  # nosec B603
                       timeout=run.seconds + 90, check=False)
    if not out.exists():
        raise RuntimeError(f"locust wrote no summary; see {log_path}")
    return json.loads(out.read_text())


# --- pages one at a time -------------------------------------------------------------------------------------

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """A signed-in session with plain urllib, for timing pages one request at a time."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str, timeout: float = 120) -> tuple[int, float, int]:
        """Status, seconds to the last byte, and bytes read (streamed, never held whole)."""
        started = time.perf_counter()
        size = 0
        try:
            with self.opener.open(self.base + path, timeout=timeout) as response:
                status = response.status
                while chunk := response.read(65536):
                    size += len(chunk)
        except urllib.error.HTTPError as error:
            status = error.code
        return status, time.perf_counter() - started, size

    def sign_in(self, email: str, password: str) -> dict:
        """Sign in; the session as the load generator adopts it (cookies and CSRF token)."""
        with self.opener.open(self.base + "/login", timeout=60) as response:
            token = CSRF.search(response.read().decode()).group(1)
        data = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
        with self.opener.open(self.base + "/login", data=data, timeout=60) as response:
            if "/login" in response.url:
                raise RuntimeError(f"could not sign in as {email}")
            token = CSRF.search(response.read().decode()).group(1)
        return {"email": email, "csrf": token,
                "cookies": [{"name": c.name, "value": c.value, "domain": c.domain, "path": c.path}
                            for c in self.cookies]}


def sign_in_many(base: str, emails: list[str], password: str, parallel: int = 4) -> list[dict]:
    """Signed-in sessions for the per-page runs, made once: signing in costs a deliberately slow password
    hash, which is not what those runs measure (the journey signs in for real)."""
    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(lambda email: Browser(base).sign_in(email, password), emails))
