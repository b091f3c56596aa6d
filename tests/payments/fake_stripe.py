"""A small fake of the Stripe HTTP API, served on 127.0.0.1 from a thread.

stripe-python is pointed at it through `STRIPE_API_BASE` (the client's `base_addresses`), so
tests exercise the real client over a real socket: form encoding, headers, idempotency keys,
error mapping. It implements what MedPath calls: Checkout Sessions (create, retrieve, expire),
refunds (create) and events (list), and records every request it receives.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class RecordedRequest:
    method: str
    path: str
    params: dict[str, Any]
    headers: dict[str, str]

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")


def _nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """`a[b][0][c]=1` form keys (as stripe-python encodes them) back into nested data."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def listify(node):
        if isinstance(node, dict):
            node = {k: listify(v) for k, v in node.items()}
            if node and all(k.isdigit() for k in node):
                return [node[k] for k in sorted(node, key=int)]
        return node

    return listify(root)


def _percent(cents: int, percent: Decimal) -> int:
    return int((Decimal(cents) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class FakeStripe:
    tax_percent: Decimal = Decimal("13")
    requests: list[RecordedRequest] = field(default_factory=list)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    _idempotent: dict[str, tuple[int, dict]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- lifecycle ---------------------------------------------------------------------

    def start(self) -> FakeStripe:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                url = urlsplit(self.path)
                query = body if self.command == "POST" else url.query
                params = _nest(parse_qsl(query, keep_blank_values=True))
                request = RecordedRequest(
                    method=self.command,
                    path=url.path,
                    params=params,
                    headers={k.lower(): v for k, v in self.headers.items()},
                )
                with fake._lock:
                    fake.requests.append(request)
                    failure = fake.failures.pop(0) if fake.failures else None
                if failure == "connection":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                status, payload = fake.dispatch(request, failure)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", f"req_{secrets.token_hex(6)}")
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.sessions.clear()
            self.refunds.clear()
            self.events.clear()
            self.failures.clear()
            self._idempotent.clear()

    # --- what tests use ------------------------------------------------------------------

    def fail_next(self, kind: str) -> None:
        """The next request fails: "card" (402), "invalid" (400), "server" (500), "connection"."""
        self.failures.append(kind)

    def requests_to(self, method: str, path_prefix: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    def pay(
        self,
        session_id: str,
        *,
        discount: int = 0,
        promotion_code: str = "",
        payment_status: str = "paid",
    ) -> dict[str, Any]:
        """The buyer pays on Stripe's page (optionally with a promotion code's discount)."""
        session = self.sessions[session_id]
        subtotal = session["amount_subtotal"]
        tax = session["total_details"]["amount_tax"]
        if discount and tax:
            tax = _percent(subtotal - discount, self.tax_percent)
        session.update(
            status="complete",
            payment_status=payment_status,
            payment_intent=f"pi_{secrets.token_hex(8)}",
            amount_total=subtotal - discount + tax,
            total_details={"amount_discount": discount, "amount_tax": tax, "amount_shipping": 0},
            discounts=[{"promotion_code": promotion_code}] if promotion_code else [],
        )
        return session

    def expire(self, session_id: str) -> dict[str, Any]:
        self.sessions[session_id]["status"] = "expired"
        return self.sessions[session_id]

    # --- the API -------------------------------------------------------------------------

    def dispatch(self, request: RecordedRequest, failure: str | None) -> tuple[int, dict]:
        if failure == "card":
            return 402, _error("card_error", "Your card was declined.", code="card_declined")
        if failure == "invalid":
            return 400, _error(
                "invalid_request_error", "Invalid request.", code="parameter_invalid"
            )
        if failure == "server":
            return 500, _error("api_error", "Something went wrong on Stripe's end.")
        key = request.idempotency_key
        if request.method == "POST" and key and key in self._idempotent:
            return self._idempotent[key]
        result = self._route(request)
        if request.method == "POST" and key and result[0] < 500:
            self._idempotent[key] = result
        return result

    def _route(self, request: RecordedRequest) -> tuple[int, dict]:
        path, params = request.path, request.params
        if request.method == "POST" and path == "/v1/checkout/sessions":
            return 200, self._create_session(params)
        match = re.fullmatch(r"/v1/checkout/sessions/([^/]+)(/expire)?", path)
        if match:
            session = self.sessions.get(match.group(1))
            if session is None:
                return 404, _error(
                    "invalid_request_error",
                    f"No such checkout.session: '{match.group(1)}'",
                    code="resource_missing",
                )
            if match.group(2):
                if session["status"] != "open":
                    return 400, _error(
                        "invalid_request_error",
                        f'Only Checkout Sessions with a status in ["open"] can be expired. '
                        f'This Checkout Session has a status of "{session["status"]}".',
                    )
                session["status"] = "expired"
            return 200, session
        if request.method == "POST" and path == "/v1/refunds":
            return self._create_refund(params)
        if request.method == "GET" and path == "/v1/events":
            types = params.get("types") or []
            data = [e for e in self.events if not types or e["type"] in types]
            return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/events"}
        return 404, _error("invalid_request_error", f"Unrecognized request URL ({path}).")

    def _create_session(self, params: dict[str, Any]) -> dict[str, Any]:
        session_id = f"cs_test_{secrets.token_hex(12)}"
        subtotal = tax = 0
        automatic = (params.get("automatic_tax") or {}).get("enabled") == "true"
        for item in params["line_items"]:
            amount = int(item["price_data"]["unit_amount"]) * int(item.get("quantity", 1))
            subtotal += amount
            nontaxable = (
                item["price_data"].get("product_data", {}).get("tax_code") == "txcd_00000000"
            )
            if item.get("tax_rates") or (automatic and not nontaxable):
                tax += _percent(amount, self.tax_percent)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "url": f"https://checkout.stripe.test/c/pay/{session_id}",
            "status": "open",
            "payment_status": "unpaid",
            "mode": params.get("mode"),
            "currency": params["line_items"][0]["price_data"]["currency"],
            "client_reference_id": params.get("client_reference_id"),
            "customer_email": params.get("customer_email"),
            "metadata": params.get("metadata") or {},
            "payment_intent": None,
            "expires_at": int(params.get("expires_at") or time.time() + 86400),
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "amount_subtotal": subtotal,
            "amount_total": subtotal + tax,
            "total_details": {"amount_discount": 0, "amount_tax": tax, "amount_shipping": 0},
            "discounts": [],
            "livemode": False,
        }
        self.sessions[session_id] = session
        return session

    def _create_refund(self, params: dict[str, Any]) -> tuple[int, dict]:
        intent = params.get("payment_intent")
        session = next(
            (
                s
                for s in self.sessions.values()
                if s["payment_intent"] and s["payment_intent"] == intent
            ),
            None,
        )
        if session is None:
            return 404, _error(
                "invalid_request_error",
                f"No such payment_intent: '{intent}'",
                code="resource_missing",
            )
        amount = int(params.get("amount") or session["amount_total"])
        refunded = sum(r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent)
        if refunded + amount > session["amount_total"]:
            return 400, _error(
                "invalid_request_error",
                f"Refund amount (${amount / 100:.2f}) is greater than unrefunded amount on "
                f"charge (${(session['amount_total'] - refunded) / 100:.2f})",
                code="amount_too_large",
            )
        refund = {
            "id": f"re_{secrets.token_hex(10)}",
            "object": "refund",
            "amount": amount,
            "currency": session["currency"],
            "payment_intent": intent,
            "status": "succeeded",
            "metadata": params.get("metadata") or {},
            "created": int(time.time()),
        }
        self.refunds[refund["id"]] = refund
        return 200, refund


def _error(type_: str, message: str, *, code: str = "") -> dict:
    error = {"type": type_, "message": message}
    if code:
        error["code"] = code
    return {"error": error}
