"""Serve moto's HTTP API on loopback in a background thread."""

from __future__ import annotations

import os
import threading
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from wa_audit.sandbox.app import SandboxApp
from wa_audit.sandbox.state import SandboxState

WsgiApp = Callable[..., Any]
LOOPBACK = "127.0.0.1"


def moto_app() -> WsgiApp:
    """moto's dispatcher app; imported lazily so wa-audit runs without the demo extra."""
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from wa_audit.sandbox import iam_request

    iam_request.install()  # moto's IAM checks as AWS's: see that module

    return DomainDispatcherApplication(create_backend_app)


def sandbox_app(state: SandboxState) -> SandboxApp:
    """moto behind the sandbox's extensions."""
    from wa_audit.sandbox.extensions import all_handlers

    return SandboxApp(moto_app(), all_handlers(), state)


class _QuietHandler(WSGIRequestHandler):
    """No access log: the demo's terminal is for the audit, not for request lines."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class SandboxServer:
    """moto on ``127.0.0.1:<free port>``; ``url`` is what AWS_ENDPOINT_URL should say."""

    def __init__(self, port: int = 0) -> None:
        self.state = SandboxState()
        self._port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox server is not running")
        return f"http://{LOOPBACK}:{self._server.server_port}"

    def start(self) -> SandboxServer:
        self._server = make_server(
            LOOPBACK,
            self._port,
            sandbox_app(self.state),
            threaded=True,
            request_handler=_QuietHandler,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="wa-audit-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def reset(self) -> None:
        """Forget every resource (moto's own reset endpoint)."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
            response.read()


@contextmanager
def running_sandbox(port: int = 0) -> Iterator[SandboxServer]:
    server = SandboxServer(port).start()
    try:
        yield server
    finally:
        server.stop()
