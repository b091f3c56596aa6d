"""core.safe_fetch: only public http(s) addresses, checked once and connected to by address,
with size, time and redirect limits. Every server here is the test's own, on 127.0.0.1; names
are resolved by a stub, so no traffic leaves this machine."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core import safe_fetch
from core.safe_fetch import FetchError, fetch

CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
BIG = 200 * 1024


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if not any(name == "Content-Length" for name, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: C901 - one route table
        path = self.path.split("?")[0]
        other = getattr(self.server, "other_port", None)
        routes = {
            "/cal.ics": lambda: self._send(200, CALENDAR, [("Content-Type", "text/calendar")]),
            "/r1": lambda: self._send(302, headers=[("Location", "/r2")]),
            "/r2": lambda: self._send(301, headers=[("Location", "/r3")]),
            "/r3": lambda: self._send(307, headers=[("Location", "/cal.ics")]),
            "/loop": lambda: self._send(302, headers=[("Location", "/loop")]),
            "/to-metadata": lambda: self._send(
                302, headers=[("Location", "http://169.254.169.254/latest/meta-data/")]
            ),
            "/to-ftp": lambda: self._send(302, headers=[("Location", "ftp://127.0.0.1/x")]),
            "/to-file": lambda: self._send(302, headers=[("Location", "file:///etc/passwd")]),
            "/to-other": lambda: self._send(
                302, headers=[("Location", f"http://127.0.0.1:{other}/echo")]
            ),
            "/big": lambda: self._send(200, b"x" * BIG),
            "/401": lambda: self._send(401),
            "/404": lambda: self._send(404),
            "/503": lambda: self._send(503),
        }
        if path in routes:
            return routes[path]()
        if path == "/echo":
            return self._echo()
        if path == "/big-unannounced":
            return self._stream(b"y" * BIG)
        if path == "/lying-length":
            return self._send(200, b"z" * BIG, [("Content-Length", str(BIG * 100))])
        if path == "/slow":
            time.sleep(1.5)
            return self._send(200, CALENDAR)
        if path == "/trickle":
            return self._trickle()
        return self._send(404)

    def do_POST(self):
        self._echo()

    def _echo(self):
        length = int(self.headers.get("Content-Length") or 0)
        payload = {
            "method": self.command,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": self.rfile.read(length).decode(),
        }
        self._send(200, json.dumps(payload).encode(), [("Content-Type", "application/json")])

    def _stream(self, body):
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def _trickle(self):
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        for _ in range(100):
            try:
                self.wfile.write(b"t")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.05)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client the test cut off, or a TLS handshake it refused on purpose


def _serve():
    server = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="module")
def servers():
    first, second = _serve(), _serve()
    first.other_port = second.server_address[1]
    yield first.server_address[1], second.server_address[1]
    for server in (first, second):
        server.shutdown()
        server.server_close()


@pytest.fixture
def port(servers):
    return servers[0]


@pytest.fixture
def allow(port):
    return frozenset({f"127.0.0.1:{port}"})


@pytest.fixture
def no_connections(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        pytest.fail(f"a connection was attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def _resolving(monkeypatch, mapping, calls=None):
    """Stub name resolution: each name gives the listed addresses; others fail."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in ("127.0.0.1", "::1"):  # socket.create_connection's own look-up of a number
            return real(host, port, *args, **kwargs)
        if calls is not None:
            calls.append(host)
        if host not in mapping:
            raise socket.gaierror(socket.EAI_NONAME, "unknown")
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (a, port, 0, 0) if ":" in a else (a, port),
            )
            for a in mapping[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def _refused(code, *args, **kwargs):
    with pytest.raises(FetchError) as caught:
        fetch(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def test_a_calendar_is_fetched_from_an_allowed_local_server(port, allow):
    result = fetch(f"http://127.0.0.1:{port}/cal.ics", allow_local=allow)
    assert result.status == 200
    assert result.body == CALENDAR
    assert result.headers["content-type"] == "text/calendar"
    assert result.url == f"http://127.0.0.1:{port}/cal.ics"


BLOCKED = [
    "127.0.0.1",
    "10.0.0.1",
    "192.168.1.5",
    "172.16.0.1",
    "169.254.169.254",
    "::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "100.64.0.1",
    "fd00:ec2::254",
    "0.0.0.0",
    "224.0.0.1",
    "240.0.0.1",
    "::ffff:169.254.169.254",
    "2002:7f00:1::",
    "64:ff9b::a00:1",
]


@pytest.mark.parametrize("address", BLOCKED)
def test_a_name_resolving_to_a_private_address_is_refused_before_connecting(
    monkeypatch, no_connections, address
):
    _resolving(monkeypatch, {"calendar.test": [address]})
    error = _refused("blocked_address", "https://calendar.test/feed.ics")
    assert "private network" in error.message


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "[::1]", "[::ffff:127.0.0.1]"])
def test_an_address_written_as_a_number_is_refused_too(no_connections, address):
    _refused("blocked_address", f"http://{address}/feed.ics")


def test_one_private_address_among_public_ones_is_enough_to_refuse(monkeypatch, no_connections):
    _resolving(monkeypatch, {"calendar.test": ["93.184.216.34", "10.0.0.1"]})
    _refused("blocked_address", "https://calendar.test/feed.ics")


def test_a_name_that_does_not_resolve_is_a_dns_error(monkeypatch, no_connections):
    _resolving(monkeypatch, {})
    error = _refused("dns", "https://nowhere.test/feed.ics")
    assert "nowhere" not in error.message


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1/cal.ics", "file:///etc/passwd", "gopher://x/", "javascript:alert(1)"],
)
def test_other_schemes_are_refused(no_connections, url):
    _refused("scheme", url)


def test_a_malformed_address_is_refused(no_connections):
    _refused("invalid_url", "http://127.0.0.1:99999/")
    _refused("invalid_url", "https:///path-only")


def test_the_name_is_resolved_once_and_its_checked_address_connected_to(monkeypatch, port):
    calls = []
    _resolving(monkeypatch, {"calendar.test": ["127.0.0.1"]}, calls)
    connected = []
    real = socket.create_connection

    def spy(address, *args, **kwargs):
        connected.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    result = fetch(
        f"http://calendar.test:{port}/echo", allow_local=frozenset({f"calendar.test:{port}"})
    )
    assert calls == ["calendar.test"]
    assert connected == [("127.0.0.1", port)]
    assert json.loads(result.body)["headers"]["host"] == f"calendar.test:{port}"


def test_the_allow_local_escape_covers_only_its_host_and_port(servers, allow):
    first, second = servers
    _refused("blocked_address", f"http://127.0.0.1:{second}/cal.ics", allow_local=allow)
    _refused("blocked_address", f"http://localhost:{first}/cal.ics", allow_local=allow)
    _refused("blocked_address", f"http://127.0.0.1:{first}/cal.ics")


def test_the_setting_allows_local_hosts_too(settings, port):
    settings.SAFE_FETCH_ALLOW_LOCAL = [f"127.0.0.1:{port}"]
    assert fetch(f"http://127.0.0.1:{port}/cal.ics").body == CALENDAR


def test_a_redirect_chain_is_followed_to_the_end(port, allow):
    result = fetch(f"http://127.0.0.1:{port}/r1", allow_local=allow)
    assert result.body == CALENDAR
    assert result.url == f"http://127.0.0.1:{port}/cal.ics"


def test_too_many_redirects_are_refused(port, allow):
    _refused(
        "too_many_redirects", f"http://127.0.0.1:{port}/r1", allow_local=allow, max_redirects=2
    )
    _refused("too_many_redirects", f"http://127.0.0.1:{port}/loop", allow_local=allow)


def test_a_redirect_to_the_metadata_address_is_refused(monkeypatch, port, allow):
    connected = []
    real = socket.create_connection

    def spy(address, *args, **kwargs):
        connected.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    _refused("blocked_address", f"http://127.0.0.1:{port}/to-metadata", allow_local=allow)
    assert connected == [("127.0.0.1", port)]


@pytest.mark.parametrize("path", ["/to-ftp", "/to-file"])
def test_a_redirect_to_another_scheme_is_refused(port, allow, path):
    _refused("scheme", f"http://127.0.0.1:{port}{path}", allow_local=allow)


def test_a_redirect_to_another_host_drops_the_password(servers):
    first, second = servers
    allow = frozenset({f"127.0.0.1:{first}", f"127.0.0.1:{second}"})
    result = fetch(
        f"http://127.0.0.1:{first}/to-other",
        allow_local=allow,
        auth=("coach", "secret"),
        headers={"Cookie": "a=b", "X-Kept": "1"},
    )
    sent = json.loads(result.body)["headers"]
    assert "authorization" not in sent
    assert "cookie" not in sent
    assert sent["x-kept"] == "1"


def test_the_password_and_a_body_reach_the_first_host(port, allow):
    result = fetch(
        f"http://127.0.0.1:{port}/echo",
        allow_local=allow,
        auth=("coach", "secret"),
        method="POST",
        body=b"<propfind/>",
    )
    echoed = json.loads(result.body)
    assert echoed["method"] == "POST"
    assert echoed["body"] == "<propfind/>"
    assert echoed["headers"]["authorization"] == "Basic Y29hY2g6c2VjcmV0"


def test_a_body_larger_than_the_limit_is_refused(port, allow):
    error = _refused(
        "too_large", f"http://127.0.0.1:{port}/big", allow_local=allow, max_bytes=BIG - 1
    )
    assert "larger than" in error.message
    assert (
        fetch(f"http://127.0.0.1:{port}/big", allow_local=allow, max_bytes=BIG).body == b"x" * BIG
    )


def test_the_default_message_names_five_megabytes(port, allow):
    error = _refused(
        "too_large", f"http://127.0.0.1:{port}/lying-length", allow_local=allow, max_bytes=5 * 2**20
    )
    assert error.message == "The calendar file is larger than 5 MB."


def test_a_body_without_a_length_is_counted_as_it_is_read(port, allow):
    _refused(
        "too_large", f"http://127.0.0.1:{port}/big-unannounced", allow_local=allow, max_bytes=1000
    )


def test_a_slow_server_times_out(port, allow):
    started = time.monotonic()
    error = _refused("timeout", f"http://127.0.0.1:{port}/slow", allow_local=allow, timeout=0.5)
    assert time.monotonic() - started < 1.4
    assert error.message == "The calendar did not answer within 0.5 seconds."


def test_a_trickling_server_is_cut_at_the_deadline(port, allow):
    started = time.monotonic()
    _refused("timeout", f"http://127.0.0.1:{port}/trickle", allow_local=allow, timeout=0.6)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [("/401", 401, "password is wrong"), ("/404", 404, "no calendar"), ("/503", 503, "later")],
)
def test_error_statuses_are_explained(port, allow, path, status, words):
    error = _refused("http_error", f"http://127.0.0.1:{port}{path}", allow_local=allow)
    assert error.http_status == status
    assert error.message.startswith(f"The server said {status}")
    assert words in error.message


def test_a_closed_port_is_a_connection_error():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    closed = probe.getsockname()[1]
    probe.close()
    _refused(
        "connection", f"http://127.0.0.1:{closed}/", allow_local=frozenset({f"127.0.0.1:{closed}"})
    )


def test_webcal_is_read_as_https(port, allow):
    # The test's server speaks plain HTTP, so the TLS handshake webcal:// asks for fails.
    _refused("tls", f"webcal://127.0.0.1:{port}/cal.ics", allow_local=allow)


def test_the_log_names_the_host_never_the_address(caplog, monkeypatch, no_connections):
    _resolving(monkeypatch, {"calendar.test": ["10.0.0.1"]})
    with caplog.at_level("DEBUG", logger="core.safe_fetch"):
        _refused("blocked_address", "https://calendar.test/private/TOKEN123.ics")
    assert "calendar.test" in caplog.text
    assert "TOKEN123" not in caplog.text


def test_public_addresses_are_not_blocked():
    import ipaddress

    for address in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"]:
        assert not safe_fetch.is_blocked_address(ipaddress.ip_address(address))


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """An https server on 127.0.0.1 whose certificate names calendar.test, signed by a CA
    made here; yields (port, CA file, the SNI names it was asked for)."""
    x509 = pytest.importorskip("cryptography.x509")
    import datetime
    import ssl

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(text):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Test CA"))
        .issuer_name(name("Test CA"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("calendar.test"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("calendar.test")]), False)
        .sign(ca_key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "leaf.pem").write_bytes(
        leaf.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    asked = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "leaf.pem")
    context.sni_callback = lambda sock, server_name, ctx: asked.append(server_name)
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield server.server_address[1], str(folder / "ca.pem"), asked
    server.shutdown()
    server.server_close()


@pytest.fixture
def trusting_test_ca(monkeypatch, tls_server):
    import ssl

    monkeypatch.setattr(
        safe_fetch, "_tls_context", lambda: ssl.create_default_context(cafile=tls_server[1])
    )


def test_https_sends_sni_and_checks_the_certificate_against_the_name(
    monkeypatch, tls_server, trusting_test_ca
):
    port, _, asked = tls_server
    _resolving(monkeypatch, {"calendar.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
    allow = frozenset({f"calendar.test:{port}", f"other.test:{port}"})
    result = fetch(f"webcal://calendar.test:{port}/cal.ics", allow_local=allow)
    assert result.body == CALENDAR
    assert "calendar.test" in asked
    # Same server and address, another name: the certificate does not name it.
    _refused("tls", f"https://other.test:{port}/cal.ics", allow_local=allow)


def test_an_untrusted_certificate_is_refused(monkeypatch, tls_server):
    port = tls_server[0]
    _resolving(monkeypatch, {"calendar.test": ["127.0.0.1"]})
    error = _refused(
        "tls",
        f"https://calendar.test:{port}/cal.ics",
        allow_local=frozenset({f"calendar.test:{port}"}),
    )
    assert "certificate" in error.message
