"""The compose file's nginx, run from Debian's package in front of a live server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from tests.live import free_port

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def compose_services() -> dict:
    return _compose()["services"]


def compose_nginx_config() -> str:
    """The nginx server configuration the compose file gives its proxy, as nginx reads it."""
    return _compose()["configs"]["nginx"]["content"].replace("$$", "$")


def require(tool: str) -> str:
    """The path of ``tool``; a test without it is skipped, or fails where CI is set."""
    path = shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")
    if path:
        return path
    message = f"{tool} is not installed (apt-get install -y {tool}; .ci/run does)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class Nginx:
    """nginx with the compose file's server block, forwarding to ``upstream_port``."""

    def __init__(self, upstream_port: int):
        self.binary = require("nginx")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        server = (
            compose_nginx_config()
            .replace("server api:8000;", f"server 127.0.0.1:{upstream_port};")
            .replace("listen 80;", f"listen 127.0.0.1:{self.port};")
        )
        assert str(upstream_port) in server and str(self.port) in server
        self.server = server

    def __enter__(self) -> Nginx:
        self.directory = Path(tempfile.mkdtemp(prefix="nginx-"))
        (self.directory / "server.conf").write_text(self.server)
        temp = "\n".join(
            f"    {kind}_temp_path {self.directory / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (self.directory / "nginx.conf").write_text(
            f"daemon off;\nmaster_process off;\npid {self.directory / 'nginx.pid'};\n"
            f"error_log {self.directory / 'error.log'} warn;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n    access_log off;\n{temp}\n"
            f"    include {self.directory / 'server.conf'};\n}}\n"
        )
        self.process = subprocess.Popen(
            [
                self.binary,
                "-p",
                str(self.directory),
                "-c",
                str(self.directory / "nginx.conf"),
                "-e",
                str(self.directory / "error.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError("nginx did not start in 10 s")

    def __exit__(self, *_exc) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)

    def log(self) -> str:
        path = self.directory / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""
