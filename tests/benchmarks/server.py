"""A real ``throughline serve`` (gunicorn) in its own process group, and a client for it."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.processes import children

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60
STOP_SECONDS = 20


class BenchmarkError(RuntimeError):
    """Something the benchmark needs did not happen (an answer, a process, a file)."""


def service_command(*args: str) -> list[str]:
    """The ``throughline`` command line, run by this interpreter."""
    return [sys.executable, "-m", "service", *args]


class Client:
    """One keep-alive HTTP connection to the server; it reconnects when the server closes it.

    gunicorn's sync workers close every connection after one answer, so most requests
    include a loopback TCP connect; that is part of what a real client pays too.
    """

    def __init__(self, port: int, token: str | None = None, timeout: float = 60):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes, float]:
        """Send one request; return its status, body and wall time in seconds."""
        headers = dict(self.headers)
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a connection we meant to reuse: one fresh try for reads.
                self.connection.close()
                if method != "GET" or attempt == 2:
                    raise
                continue
            except (http.client.HTTPException, OSError):
                self.connection.close()
                raise
            return response.status, data, time.perf_counter() - started
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, body: Any = None) -> Any:
        """The JSON answer of a request that must succeed."""
        status, data, _ = self.request(method, path, body)
        if status != 200:
            raise BenchmarkError(f"{method} {path} answered {status}: {data[:300]!r}")
        return json.loads(data)

    def close(self) -> None:
        self.connection.close()


class Server:
    """``throughline serve`` on a loopback port, stopped (with its workers) on exit.

    gunicorn binds port 0 and the port it got is read from its log: a port picked in
    advance could be taken by another server on the machine before gunicorn binds it.
    """

    def __init__(
        self,
        database_url: str,
        directory: Path,
        workers: int = 2,
        env: dict[str, str] | None = None,
        start_seconds: float = START_SECONDS,
    ):
        self.database_url = database_url
        self.env = env or {}
        self.start_seconds = start_seconds
        self.directory = Path(tempfile.mkdtemp(prefix="server-", dir=directory))
        self.workers = workers
        self.port = 0
        self.log_path = self.directory / "server.log"
        self.process: subprocess.Popen | None = None
        self._log = None

    def __enter__(self) -> Server:
        metrics = self.directory / "metrics"
        metrics.mkdir()
        env = {
            **os.environ,
            "THROUGHLINE_DATABASE_URL": self.database_url,
            "PROMETHEUS_MULTIPROC_DIR": str(metrics),
            **self.env,
        }
        self._log = open(self.log_path, "wb")  # closed in stop()
        command = service_command("serve", "--port", "0", "--workers", str(self.workers))
        # A session of its own: stopping the group stops the workers too, and a Ctrl-C at the
        # terminal reaches only the benchmark, which then stops the server itself.
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + self.start_seconds
        listening = re.compile(rf"Listening at: http://127\.0\.0\.1:(\d+) \({self.process.pid}\)")
        probe = None
        try:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise BenchmarkError(f"the server exited: {self.log_tail()}")
                if probe is None:
                    found = listening.search(self.log_path.read_text(errors="replace"))
                    if found is None:
                        time.sleep(0.2)
                        continue
                    self.port = int(found.group(1))
                    probe = Client(self.port, timeout=2)
                try:
                    if probe.request("GET", "/healthz")[0] == 200:
                        return
                except OSError:
                    time.sleep(0.2)
        finally:
            if probe is not None:
                probe.close()
        raise BenchmarkError(
            f"the server did not answer in {self.start_seconds:g} s: {self.log_tail()}"
        )

    def stop(self) -> None:
        """Stop gunicorn gracefully, then kill whatever of its group is left."""
        if self.process is not None:
            group = self.process.pid
            workers = self.worker_pids()
            if self.process.poll() is None:
                _signal_group(group, signal.SIGTERM)
                try:
                    self.process.wait(timeout=STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    _signal_group(group, signal.SIGKILL)  # the master is not reaped yet
                    self.process.wait(timeout=STOP_SECONDS)
            for pid in workers:  # a worker outliving its master
                _kill_if_in_group(pid, group)
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the children of the master process."""
        if self.process is None:
            return []
        return children(self.process.pid)

    def log_count(self, message: str) -> int:
        """How many of the service's JSON log lines carry ``message``."""
        wanted = f'"message": "{message}"'
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return sum(wanted in line for line in log)

    def log_records(self, message: str) -> list[dict[str, Any]]:
        """The service's JSON log lines that carry ``message``, parsed."""
        wanted = f'"message": "{message}"'
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return [json.loads(line) for line in log if wanted in line]

    def log_tail(self, lines: int = 15) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return "".join(log.readlines()[-lines:])


def _signal_group(group: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, number)


def _kill_if_in_group(pid: int, group: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.getpgid(pid) == group:
            os.kill(pid, signal.SIGKILL)
