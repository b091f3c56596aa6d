"""Start MedPath the production way for a script: a fresh database, gunicorn, a worker.

Shared by `bin/smoke-prod` (CI's smoke test of two web processes) and `bench/pages.py` (the
page benchmark), so that both run exactly what `make prod` runs: DEBUG off, `gunicorn.conf.py`,
static files collected. Every process starts in its own process group and `Servers.stop()`
ends the groups it started, nothing else.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent


class SiteError(Exception):
    """Something the script started did not do what it should; the message says what."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _admin_url_and_name(database_url: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SiteError(f"refusing a database name that would need quoting: {name!r}")
    return parts._replace(path="/postgres").geturl(), name


def fresh_postgres_database(database_url: str) -> None:
    """Drop and create the database named in the URL (never one that needs quoting)."""
    import psycopg

    admin_url, name = _admin_url_and_name(database_url)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


def drop_postgres_database(database_url: str) -> None:
    import psycopg

    admin_url, name = _admin_url_and_name(database_url)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class Servers:
    """Management commands and long-running processes with one environment and one log folder."""

    def __init__(self, env: dict, logs: Path, code_root: Path = ROOT):
        self.env = env
        self.logs = logs
        self.code_root = code_root
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def manage(self, *args: str, timeout: int = 300) -> str:
        """Run a management command; its standard output, or SiteError if it failed."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=self.code_root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise SiteError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def start(self, name: str, *args: str, **extra_env: str) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "w") as log:
            process = subprocess.Popen(
                [sys.executable, *args],
                cwd=self.code_root,
                env={**self.env, **extra_env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append((name, process))
        return process

    def start_gunicorn(self, name: str, port: int, workers: int, **extra_env) -> subprocess.Popen:
        return self.start(
            name,
            "-m",
            "gunicorn",
            "medpath.wsgi",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            WEB_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY=str(workers),
            **extra_env,
        )

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def wait_until_up(self, name: str, base: str, seconds: int = 90) -> None:
        deadline = time.monotonic() + seconds
        process = dict(self.processes)[name]
        while time.monotonic() < deadline:
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if process.poll() is not None:
                raise SiteError(f"{name} stopped while starting:\n{self.log(name)[-3000:]}")
            time.sleep(0.5)
        raise SiteError(f"{name} did not answer /healthz within {seconds} s")

    def stop(self, name: str | None = None) -> None:
        chosen = [(n, p) for n, p in self.processes if name is None or n == name]
        for _name, process in chosen:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _name, process in chosen:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = [(n, p) for n, p in self.processes if (n, p) not in chosen]
