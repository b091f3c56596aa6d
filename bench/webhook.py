#!/usr/bin/env python
"""Benchmark the Stripe webhook endpoint: events per second and latency percentiles.

Runs the whole Django stack in-process (the WSGI application, middleware included, no HTTP
server in between) against a fresh database, in offline-checkout mode so fulfilment re-reads
sessions from the database instead of the network. Three workloads, each event signed with
Stripe's scheme and verified by the endpoint:

  fulfil     `checkout.session.completed` for a new paid order: verify, store, re-read the
             session, lock the order, grant credits, queue the receipt
  duplicate  the same events delivered again: verify, find the stored id, acknowledge
  ignored    an event type we do not handle: verify, store, acknowledge
  healthz    baseline: GET /healthz (a bare view through the same middleware, no database)

Usage:
  .venv/bin/python bench/webhook.py [--events 300]
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/medpath_bench .venv/bin/python bench/webhook.py

With DATABASE_URL unset it uses a temporary SQLite file. The PostgreSQL database is created by
the test-style `migrate` run here and must be empty or absent (it is flushed first).
"""

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values, pct):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300, help="events per workload")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="medpath-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DEBUG"] = "1"
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ["LOG_LEVEL"] = "WARNING"
    for key in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "REDIS_URL"):
        os.environ.pop(key, None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medpath.settings")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)

    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from coaching.models import Package, PackageItem, Service
    from payments import services
    from payments.models import Order, OrderStatus
    from payments.offline import OfflineGateway, build_event
    from payments.stripe_gateway import sign_webhook

    buyer = get_user_model().objects.create_user("bench@example.com", "bench-password-1")
    EmailAddress.objects.create(user=buyer, email=buyer.email, verified=True, primary=True)
    service = Service.objects.create(
        name="Mock interview", slug="bench-mock", duration_minutes=60, short_description="x"
    )
    package = Package.objects.create(
        name="Bench package", slug="bench", summary="x", price_cents=34500
    )
    PackageItem.objects.create(package=package, service=service, quantity=3)

    gateway = OfflineGateway()
    sessions = []
    for _ in range(args.events):
        order = services.checkout_start_package(
            buyer=buyer, package=package, base_url="http://bench.local"
        )
        sessions.append(gateway.pay(order.stripe_checkout_session_id))

    app = WSGIHandler()

    def deliver(event):
        payload = json.dumps(event) if event is not None else ""
        body = payload.encode()
        environ = {
            "REQUEST_METHOD": "POST" if event is not None else "GET",
            "PATH_INFO": "/stripe/webhook/" if event is not None else "/healthz",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8105",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_HOST": "127.0.0.1",
            "HTTP_STRIPE_SIGNATURE": sign_webhook(payload),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        statuses = []
        start = time.perf_counter()
        b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
        elapsed = time.perf_counter() - start
        if not statuses[0].startswith("200"):
            raise SystemExit(f"webhook answered {statuses[0]}")
        return elapsed

    fulfil_events = [build_event("checkout.session.completed", s) for s in sessions]
    workloads = {
        "fulfil": fulfil_events,
        "duplicate": fulfil_events,
        "ignored": [
            build_event("customer.updated", {"id": f"cus_{i}"}) for i in range(args.events)
        ],
        "healthz": [None] * args.events,
    }
    print(f"database: {connection.vendor}; {args.events} events per workload; in-process WSGI")
    print(
        f"{'workload':<10} {'events/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    for name, events in workloads.items():
        timings = []
        wall = time.perf_counter()
        for event in events:
            timings.append(deliver(event))
        wall = time.perf_counter() - wall
        ms = [t * 1000 for t in timings]
        print(
            f"{name:<10} {len(events) / wall:>9.0f} {statistics.median(ms):>8.2f} "
            f"{percentile(ms, 95):>8.2f} {percentile(ms, 99):>8.2f} {max(ms):>8.2f}"
        )
    paid = Order.objects.filter(status=OrderStatus.PAID).count()
    assert paid == args.events, f"{paid} of {args.events} orders paid"
    print(f"check: {paid} orders paid, each exactly once")


if __name__ == "__main__":
    main()
