"""Sphinx's network settings: tls_verify, tls_cacerts and user_agent, against real servers."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest
from helpers import Origin, answer_with_feed, feeds_in, warning_lines

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytest_httpserver import HTTPServer

NEWEST = ["Release note 05", "Release note 11", "Release note 01"]


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no system trusts, and its key."""
    x509 = pytest.importorskip("cryptography.x509", reason="needs the 'cryptography' package")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class _FeedHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        answer_with_feed(self)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A self-signed HTTPS server on 127.0.0.1: (its base URL, its certificate)."""
    cert_file, key_file = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FeedHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert_file
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("setting", ["default", "cacerts", "cacerts-by-host", "no-verify"])
def test_tls_settings_are_honoured(setting: str, project, https_server):
    base, cert_file = https_server
    secure = project("fresh", server=base)
    overrides: dict[str, object] = {}
    if setting == "cacerts":
        overrides["tls_cacerts"] = str(cert_file)
    elif setting == "cacerts-by-host":
        overrides["tls_cacerts"] = {base.removeprefix("https://"): str(cert_file)}
    elif setting == "no-verify":
        overrides["tls_verify"] = False
    secure.build(confoverrides=overrides)
    warnings = warning_lines(secure.last_warnings)
    if setting == "default":
        [warning] = warnings
        assert "index.rst:4: WARNING: cannot show feed https://127.0.0.1:" in warning
        assert "certificate verify failed" in warning and "tls_cacerts" in warning
        assert warning.endswith("[feed.fetch]")
        return
    assert warnings == []
    assert [item.title for item in feeds_in(secure.output("index.html"))[0][0]] == NEWEST


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, "sphinxcontrib-feed/"),
        ({"user_agent": "ExampleDocs/2.0"}, "ExampleDocs/2.0"),
        ({"user_agent": "ExampleDocs/2.0", "feed_user_agent": "FeedBot/1"}, "FeedBot/1"),
    ],
)
def test_the_user_agent(settings: dict[str, str], expected: str, project, httpserver: HTTPServer):
    origin = Origin(httpserver, "/news.rss", "news.rss")
    project("fresh").build(confoverrides=settings)
    assert origin.requests[0]["User-Agent"].startswith(expected)
