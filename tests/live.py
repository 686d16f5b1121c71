"""A real ``throughline serve`` (gunicorn, several workers) for tests that need one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time

import requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    def __init__(
        self, database_url: str, workers: int = 2, env: dict | None = None, token: str = ""
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "THROUGHLINE_DATABASE_URL": database_url, **(env or {})}
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.http = requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def __enter__(self) -> LiveServer:
        command = [
            sys.executable,
            "-m",
            "service",
            "serve",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        # A file, not a pipe: nobody reads the server's log lines while it runs, and a full
        # pipe would block every worker at its next line.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.output())
            try:
                if self.http.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("the server did not start in 30 s")

    def __exit__(self, *_exc) -> None:
        self.http.close()
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def output(self) -> str:
        """What the server has printed so far."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.http.request(method, self.url + path, timeout=30, **kwargs)
