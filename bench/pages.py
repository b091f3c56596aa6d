"""Benchmark: the public pages under load, the way production serves them, against /healthz.

Run from the repository root (needs `wrk`: `apt-get install wrk`):

    .venv/bin/python bench/pages.py                      # SQLite, the local-memory cache
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/medpath_bench \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/pages.py

It builds its own database (a temporary SQLite file, or the PostgreSQL database named in
DATABASE_URL, dropped and created afresh: never point it at data you keep), migrates,
collects static files and loads the demo content, then starts gunicorn with 2 sync workers,
DEBUG off and `gunicorn.conf.py`, as `make prod` does. Each URL is loaded by wrk (2 threads,
16 connections, --seconds each, 10 by default) after a short warm-up, /healthz first, in three
phases: with the whole-page cache for anonymous visitors on ("cached"); off ("cold": what a
visitor the page cache cannot answer gets, with the route, navigation, footer and main content
kept in the shared cache); and with the content cache off too ("render": the main content
rendered on every request). For each it prints requests/s, p50, p99 and the ratio to /healthz
in the same phase, and at the end the workers' memory (RSS) after the load.

    --seconds N         seconds of load per URL (default 10)
    --phases cached,cold,render
    --only /healthz     load only these paths (comma-separated), e.g. to compare /healthz
    --code DIR          run the site from another checkout (e.g. `git archive` of an older
                        commit), to compare the cost of middleware on /healthz
"""

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from prodsite import (  # noqa: E402
    ROOT,
    Servers,
    SiteError,
    drop_postgres_database,
    free_port,
    fresh_postgres_database,
)

# Each phase: what it shows, and the settings the site runs with.
PHASES = {
    "cached": ("whole-page cache on", {"PAGE_CACHE_SECONDS": "600"}),
    "cold": (
        "whole-page cache off; route and main content kept",
        {"PAGE_CACHE_SECONDS": "0", "CONTENT_CACHE_SECONDS": "600"},
    ),
    "render": (
        "whole-page and content caches off: every page rendered",
        {"PAGE_CACHE_SECONDS": "0", "CONTENT_CACHE_SECONDS": "0"},
    ),
}
THREADS = 2
CONNECTIONS = 16
WORKERS = 2


def parse_wrk(output: str) -> dict:
    def latency_ms(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        if not match:
            return float("nan")
        value, unit = float(match[1]), match[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(rps[1]) if rps else 0.0,
        "p50": latency_ms("50"),
        "p99": latency_ms("99"),
        "bad": int(errors[1]) if errors else 0,
        "socket_errors": socket_errors[1] if socket_errors else "",
    }


def wrk(url: str, seconds: int) -> dict:
    result = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    )
    return parse_wrk(result.stdout)


def worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kilobytes = int(re.search(r"VmRSS:\s+(\d+) kB", status)[1])
        sizes.append(kilobytes / 1024)
    return sizes


def discover_paths(base: str) -> dict[str, str]:
    """The pages to load, found in the demo content through the site itself."""
    sitemap = requests.get(base + "/sitemap.xml", timeout=30).text
    page_paths = [
        re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<loc>([^<]+)", sitemap)
    ]
    guidance = next(
        p for p in page_paths if p.count("/") == 3 and not p.startswith(("/members/", "/packages/"))
    )
    teaser = next(p for p in page_paths if p.startswith("/members/") and p.count("/") == 3)
    package = re.search(
        r'href="(/packages/[a-z0-9-]+/)"', requests.get(base + "/packages/", timeout=30).text
    )[1]
    coach = re.search(
        r'href="(/coaches/[a-z0-9-]+/)"', requests.get(base + "/coaches/", timeout=30).text
    )[1]
    service = requests.get(base + "/api/v1/services", timeout=30).json()
    service_slug = (service["items"] if isinstance(service, dict) else service)[0]["slug"]
    start = date.today() + timedelta(days=2)
    slots = (
        f"/api/v1/slots?service={service_slug}&start={start.isoformat()}"
        f"&end={(start + timedelta(days=6)).isoformat()}&tz=America/Toronto"
    )
    return {
        "/healthz": "/healthz",
        "home": "/",
        "guidance page": guidance,
        "package list": "/packages/",
        "package page": package,
        "coach page": coach,
        "members' teaser": teaser,
        "slots API, 7 days": slots,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--phases", default="cached,cold,render")
    parser.add_argument("--only", default="")
    parser.add_argument("--code", type=Path, default=ROOT)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print(
            "bench/pages.py needs wrk: apt-get install wrk (Debian/Ubuntu), brew install wrk (macOS)"
        )
        return 2

    work = Path(tempfile.mkdtemp(prefix="medpath-bench-"))
    database_url = os.environ.get("DATABASE_URL", "")
    postgres = database_url.startswith(("postgres://", "postgresql://"))
    if not postgres:
        database_url = f"sqlite:///{work / 'bench.sqlite3'}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "STRIPE_"))},
        "DJANGO_SETTINGS_MODULE": "medpath.settings",
        "DEBUG": "0",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "ALLOW_OFFLINE_CHECKOUT": "1",
        "SECURE_COOKIES": "0",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_STORAGE_ROOT": str(work / "private"),
        "REQUEST_LOG_LEVEL": os.environ.get("REQUEST_LOG_LEVEL", "INFO"),
    }
    if args.code.resolve() != ROOT:
        # Another checkout: its `site/` must be imported as `medpath`, ahead of the installed one.
        shim = work / "shim"
        shim.mkdir()
        (shim / "medpath").symlink_to(args.code.resolve() / "site")
        env["PYTHONPATH"] = f"{shim}:{args.code.resolve()}"
    servers = Servers(env, work, code_root=args.code.resolve())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    try:
        healthz_only = args.only == "/healthz"  # touches no database: no content needed
        if postgres:
            fresh_postgres_database(database_url)
        if not healthz_only:
            servers.manage("migrate", "--noinput", timeout=600)
            servers.manage("collectstatic", "--noinput", "--verbosity", "0")
            servers.manage("load_demo", "--force", "--quiet-logins")
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}, {'PostgreSQL' if postgres else 'SQLite'}, "
            f"{'Redis' if os.environ.get('REDIS_URL') else 'local-memory'} cache, "
            f"gunicorn {WORKERS} sync workers, wrk -t{THREADS} -c{CONNECTIONS} -d{args.seconds}s, "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        )
        paths = None
        memory = []
        for phase in args.phases.split(","):
            master = servers.start_gunicorn("web", port, WORKERS, **PHASES[phase][1])
            servers.wait_until_up("web", base)
            paths = paths or ({"/healthz": "/healthz"} if healthz_only else discover_paths(base))
            chosen = {
                label: path
                for label, path in paths.items()
                if not args.only or path in args.only.split(",") or label == "/healthz"
            }
            print(f"\n{phase} ({PHASES[phase][0]}); load average {os.getloadavg()[0]:.1f}")
            print(
                f"{'page':<20} {'path':<44} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7}"
            )
            healthz = None
            for label, path in chosen.items():
                for _ in range(3):  # warm up: fill the cache, open connections, load templates
                    requests.get(base + path, timeout=30)
                wrk(base + path, 2)
                result = wrk(base + path, args.seconds)
                healthz = healthz or result["rps"]
                ratio = result["rps"] / healthz if healthz else float("nan")
                note = f"  ({result['bad']} non-2xx!)" if result["bad"] else ""
                shown = path if len(path) <= 44 else path[:41] + "..."
                print(
                    f"{label:<20} {shown:<44} {result['rps']:>9.0f} {result['p50']:>8.2f} "
                    f"{result['p99']:>8.2f} {ratio:>7.3f}{note}",
                    flush=True,
                )
            memory = worker_rss_mb(master.pid)
            servers.stop("web")
        print(f"\nworker memory after the load (RSS): {', '.join(f'{m:.0f} MB' for m in memory)}")
    except (SiteError, requests.RequestException, StopIteration) as error:
        print(f"benchmark failed: {error!r}\n{servers.log('web')[-3000:]}")
        return 1
    finally:
        servers.stop()
        if postgres:
            drop_postgres_database(database_url)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
