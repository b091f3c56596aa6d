"""Fetching an address a coach typed in (their own calendar's feed), without letting it reach
anything of ours.

`fetch(url, ...)` guarantees, for the first address and every redirect:

- only `http` and `https` are followed (`webcal://` is read as `https://`); a redirect to any
  other scheme is refused;
- the host name is resolved once; if ANY of its addresses is loopback, private, link-local,
  multicast, reserved, unspecified, carrier-grade NAT (100.64.0.0/10), a cloud metadata
  address (169.254.169.254, fd00:ec2::254), or an IPv6 form carrying one of those (IPv4-mapped,
  6to4, Teredo, NAT64), nothing is sent; otherwise the connection goes to that checked address
  itself, never to the name again (no DNS rebinding), with TLS SNI and the certificate checked
  against the host name for https;
- `timeout` bounds the whole fetch (connecting, TLS, headers, body and redirects together);
- the body is read in chunks and refused past `max_bytes` (at once when Content-Length says
  more);
- a password (`auth`, or one written in the address) and the caller's `Authorization` and
  `Cookie` headers are sent only to the first address's own scheme, host and port, never to a
  host a redirect leads to;
- every refusal or failure is a `FetchError` whose message is written for the coach and whose
  `code` is one of `invalid_url`, `scheme`, `blocked_address`, `dns`, `timeout`, `too_large`,
  `too_many_redirects`, `http_error` (with `http_status`), `tls`, `connection`;
- the log names only the host, never the address (it may carry a secret token) or a header.

The escape hatch for tests and local development: `allow_local`, a set of `"host:port"`
entries (the host as written in the address, e.g. `"127.0.0.1:8123"` or `"calendar.test:8123"`),
given to `fetch` or set in Django's `SAFE_FETCH_ALLOW_LOCAL` (read on each call, only when
settings are configured). Only that exact host and port skips the address check; it is still
resolved once and connected to by address. Production never sets it.
"""

import base64
import http.client
import ipaddress
import logging
import socket
import ssl
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from core.errors import DomainError

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
REDIRECTS = {301, 302, 303, 307, 308}
USER_AGENT = "MedPath-calendar/1.0"
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
CARRIER_NAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Headers that carry a credential: never sent on to another origin after a redirect.
CREDENTIAL_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


class FetchError(DomainError):
    """A fetch refused or failed; `message` is for the coach, `code` for the code."""

    code = "fetch_failed"

    def __init__(self, message: str, *, code: str, http_status: int | None = None):
        super().__init__(message, code=code)
        self.http_status = http_status


@dataclass(frozen=True)
class FetchResult:
    """What the server answered: `headers` has lower-case names (repeated ones joined with
    ", "); `url` is the address finally read, after redirects (it may carry a token: never
    log it)."""

    status: int
    headers: dict[str, str]
    body: bytes
    url: str


@dataclass
class _Target:
    scheme: str
    host: str
    port: int
    path: str
    auth: tuple[str, str] | None = field(default=None, repr=False)

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)


def fetch(
    url: str,
    *,
    max_bytes: int = 5 * 2**20,
    timeout: float = 10.0,
    max_redirects: int = 3,
    headers: dict | None = None,
    auth: tuple[str, str] | None = None,
    method: str = "GET",
    body: bytes | None = None,
    allow_local: frozenset[str] | None = None,
) -> FetchResult:
    """Fetch `url` under every guarantee of this module's docstring, following at most
    `max_redirects` redirects; a 1xx, 2xx or 304 answer is returned, anything else raises
    `FetchError` (code `http_error` for a 4xx/5xx, with its `http_status`)."""
    allowed = _allowed_local(allow_local)
    deadline = time.monotonic() + timeout
    target = _parse(url, first=True)
    origin = target.origin
    auth = auth or target.auth
    for _hop in range(max_redirects + 1):
        same_origin = target.origin == origin
        request_headers = _request_headers(headers, auth if same_origin else None, same_origin)
        address = _resolve(target, allowed)
        status, answer, location = _exchange(
            target, address, method, body, request_headers, deadline, timeout, max_bytes
        )
        if location is None:
            return FetchResult(status=status, headers=answer[0], body=answer[1], url=url)
        url = urljoin(url, location)
        target = _parse(url, first=False)
        if status == 303 or (status in (301, 302) and method == "POST"):
            method, body = "GET", None
    logger.info("safe_fetch: too many redirects, last host %s", target.host)
    raise FetchError(
        f"The calendar address redirects more than {max_redirects} times; "
        "please give its final address.",
        code="too_many_redirects",
    )


def _allowed_local(allow_local: frozenset[str] | None) -> frozenset[str]:
    """The "host:port" entries the caller and Django's SAFE_FETCH_ALLOW_LOCAL allow."""
    entries = set(allow_local or ())
    with suppress(ImportError):
        from django.conf import settings

        if settings.configured:
            entries |= set(getattr(settings, "SAFE_FETCH_ALLOW_LOCAL", ()) or ())
    return frozenset(entry.lower() for entry in entries)


def _parse(url: str, *, first: bool) -> _Target:
    """The scheme, host, port and request path of `url`, or a FetchError."""
    invalid = FetchError(
        "That is not a web address a calendar can be read from.", code="invalid_url"
    )
    try:
        parts = urlsplit(url.strip())
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii").lower()
    except (ValueError, UnicodeError):
        raise invalid from None
    scheme = parts.scheme.lower()
    if scheme == "webcal" and first:
        scheme = "https"
    if scheme not in ("http", "https"):
        raise FetchError(
            "Only web addresses (http:// or https://, or webcal://) can be read as a calendar.",
            code="scheme",
        )
    if not host:
        raise invalid
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    auth = (parts.username or "", parts.password or "") if parts.username else None
    return _Target(scheme, host, port or (443 if scheme == "https" else 80), path, auth)


def _request_headers(extra: dict | None, auth, same_origin: bool) -> dict[str, str]:
    """Our headers, the caller's (credentials only to the first origin) and Basic auth."""
    result = {"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "identity"}
    for name, value in (extra or {}).items():
        lower = name.lower()
        if lower in ("host", "content-length", "transfer-encoding", "connection"):
            continue
        if lower in CREDENTIAL_HEADERS and not same_origin:
            continue
        result[name] = value
    if auth is not None:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
        result["Authorization"] = f"Basic {token}"
    result["Connection"] = "close"
    return result


def _resolve(target: _Target, allowed: frozenset[str]) -> str:
    """The one checked address to connect to for `target`'s host (resolved once)."""
    try:
        literal = ipaddress.ip_address(target.host.strip("[]"))
        addresses = [literal]
    except ValueError:
        addresses = _lookup(target)
    if f"{target.host}:{target.port}" not in allowed:
        for address in addresses:
            if is_blocked_address(address):
                logger.warning("safe_fetch: refused host %s (blocked address)", target.host)
                raise FetchError(
                    "That address points inside a private network, which a calendar may not "
                    "be read from. Please give the calendar's public address.",
                    code="blocked_address",
                )
    return str(addresses[0])


def _lookup(target: _Target) -> list:
    """Every address the host name resolves to, or a FetchError("dns")."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        infos = []
    addresses = []
    for _family, _type, _proto, _name, sockaddr in infos:
        with suppress(ValueError):
            addresses.append(ipaddress.ip_address(str(sockaddr[0]).split("%")[0]))
    if not addresses:
        logger.info("safe_fetch: host %s did not resolve", target.host)
        raise FetchError(
            "No server could be found at that address; please check how it is spelled.",
            code="dns",
        )
    return addresses


def is_blocked_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True when `address` (or the IPv4 address an IPv6 form carries) is not a public
    unicast address: loopback, private, link-local, multicast, reserved, unspecified,
    carrier-grade NAT, a metadata address or anything else not globally reachable."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if address.teredo:
            embedded = address.teredo[1]
        if address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and is_blocked_address(embedded):
            return True
        if address.ipv4_mapped is not None:
            return False
    return (
        address in METADATA_ADDRESSES
        or address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (address.version == 4 and address in CARRIER_NAT)
        or not address.is_global
    )


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to a checked address: the Host header, SNI and the certificate
    check use the host name, the socket goes to `address` only."""

    def __init__(self, target: _Target, address: str, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = address
        self._tls = target.scheme == "https"
        self.raw_socket: socket.socket | None = None

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.raw_socket = sock
        if self._tls:
            sock = _tls_context().wrap_socket(sock, server_hostname=self.host)
        self.sock = sock


def _tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, host names checked (tests may replace it)."""
    return ssl.create_default_context()


def _exchange(target, address, method, body, headers, deadline, timeout, max_bytes):
    """One request and its answer: (status, (headers, body), None) or, for a redirect,
    (status, None, location). Every failure becomes a FetchError."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _timeout_error(target, timeout)
    conn = _PinnedConnection(target, address, timeout=remaining)
    guard = _Watchdog(conn, remaining)
    try:
        with guard:
            conn.request(method, target.path, body=body, headers=headers)
            response = conn.getresponse()
            return _answer(target, response, max_bytes, guard, timeout)
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as error:
        if guard.fired or isinstance(error, TimeoutError):
            raise _timeout_error(target, timeout) from None
        if isinstance(error, ssl.SSLError | ssl.CertificateError):
            raise _failure(target, error, "tls") from None
        raise _failure(target, error, "connection") from None
    finally:
        conn.close()


def _answer(target, response, max_bytes, guard, timeout):
    """Read a response: a redirect's location, an error, or the headers and body."""
    status = response.status
    if status in REDIRECTS:
        location = response.getheader("Location")
        if location:
            return status, None, location.strip()
    if status >= 300 and status != 304:
        logger.info("safe_fetch: host %s answered %s", target.host, status)
        raise FetchError(_status_message(status), code="http_error", http_status=status)
    answer_headers: dict[str, str] = {}
    for name, value in response.getheaders():
        key = name.lower()
        answer_headers[key] = f"{answer_headers[key]}, {value}" if key in answer_headers else value
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise _too_large(target, max_bytes)
    chunks, total = [], 0
    while chunk := response.read1(CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise _too_large(target, max_bytes)
        chunks.append(chunk)
    if guard.fired:
        raise _timeout_error(target, timeout)
    return status, (answer_headers, b"".join(chunks)), None


class _Watchdog:
    """Cuts the connection when the deadline passes, however slowly the server trickles."""

    def __init__(self, conn: _PinnedConnection, seconds: float):
        self.conn = conn
        self.fired = False
        self.timer = threading.Timer(seconds, self._cut)
        self.timer.daemon = True

    def _cut(self):
        self.fired = True
        # The raw socket: http.client hands a closing connection's socket to the response
        # and forgets it (`conn.sock` is None while the body is read).
        sock = self.conn.raw_socket
        if sock is not None:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.cancel()
        return False


def _status_message(status: int) -> str:
    """What a coach should read for an HTTP error status."""
    if status in (401, 403):
        return f"The server said {status}: the address or password is wrong."
    if status in (404, 410):
        return f"The server said {status}: there is no calendar at that address."
    if status == 429:
        return "The server said 429: it is getting too many requests; please try again later."
    if status >= 500:
        return f"The server said {status}: it has a problem of its own; please try again later."
    return f"The server said {status}: it would not give the calendar."


def _size_label(max_bytes: int) -> str:
    """5 MB, 512 KB or 100 bytes."""
    if max_bytes >= 2**20 and max_bytes % 2**20 == 0:
        return f"{max_bytes // 2**20} MB"
    if max_bytes >= 2**10 and max_bytes % 2**10 == 0:
        return f"{max_bytes // 2**10} KB"
    return f"{max_bytes} bytes"


def _too_large(target: _Target, max_bytes: int) -> FetchError:
    logger.info("safe_fetch: host %s sent more than %s bytes", target.host, max_bytes)
    return FetchError(
        f"The calendar file is larger than {_size_label(max_bytes)}.", code="too_large"
    )


def _timeout_error(target: _Target, timeout: float) -> FetchError:
    logger.info("safe_fetch: host %s timed out", target.host)
    return FetchError(f"The calendar did not answer within {timeout:g} seconds.", code="timeout")


def _failure(target: _Target, error: Exception, code: str) -> FetchError:
    logger.info("safe_fetch: host %s failed (%s: %s)", target.host, code, type(error).__name__)
    if code == "tls":
        message = (
            "The calendar's server did not show a valid security certificate for its "
            "address, so it was not read."
        )
    else:
        message = "The calendar's server could not be reached; please check the address."
    return FetchError(message, code=code)
