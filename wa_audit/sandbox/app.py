"""The sandbox WSGI app: our extensions answer what moto lacks or fakes, moto answers the rest."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from werkzeug.test import run_wsgi_app
from werkzeug.wrappers import Request, Response

from wa_audit.sandbox.access import authorize, denial_as_aws
from wa_audit.sandbox.protocol import (
    DEFAULT_ACCOUNT_ID,
    AwsRequest,
    credential_scope,
    error_response,
    resolve_operation,
)
from wa_audit.sandbox.state import SandboxState

WsgiApp = Callable[..., Any]
Handler = Callable[[AwsRequest, SandboxState], Response]


@dataclass
class Handlers:
    """The operations one extension module answers, for one botocore service."""

    service: str
    signing_name: str
    moto_has_service: bool = True
    """False where moto has no backend: unknown operations then get AWS's error, not a 500."""
    operations: dict[str, Handler] = field(default_factory=dict)
    iam_actions: dict[str, str] = field(default_factory=dict)
    """The IAM action of an operation, where AWS's differs from ``<signing name>:<operation>``."""
    resources: dict[str, Callable[[AwsRequest], str]] = field(default_factory=dict)
    """The resource IAM authorizes an operation on, where it has one (else ``*``)."""

    def operation(
        self,
        name: str,
        iam_action: str | None = None,
        resource: Callable[[AwsRequest], str] | None = None,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.operations[name] = handler
            if iam_action:
                self.iam_actions[name] = iam_action
            if resource is not None:
                self.resources[name] = resource
            return handler

        return register


def account_for(request: Request, access_key: str) -> str:
    """The account moto would attribute the request to (same rules, same default)."""
    if "x-moto-account-id" in request.headers:
        return str(request.headers["x-moto-account-id"])
    from moto.iam.models import get_account_id_from

    return str(get_account_id_from(access_key) or DEFAULT_ACCOUNT_ID)


class SandboxApp:
    def __init__(self, moto: WsgiApp, handlers: Iterable[Handlers], state: SandboxState) -> None:
        self.moto = moto
        self.state = state
        self._by_signing_name: dict[str, list[Handlers]] = {}
        for group in handlers:
            self._by_signing_name.setdefault(group.signing_name, []).append(group)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        body = request.get_data(cache=True)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        if request.path.rstrip("/") == "/moto-api/reset" and request.method == "POST":
            self.state.reset()
        handled = self._dispatch(environ, request, body)
        if handled is None:
            handled = denial_as_aws(request, self._forward(environ, body))
        scope = credential_scope(request)
        if scope is not None:
            handled = self.state.faults.corrupt(request, body, scope[2], handled)
        return handled(environ, start_response)

    def _dispatch(self, environ: dict[str, Any], request: Request, body: bytes) -> Response | None:
        scope = credential_scope(request)
        if scope is None:
            return None
        access_key, region, signing_name = scope
        fault = self.state.faults.apply(request, body, signing_name)
        if fault is not None:
            return fault
        groups = self._by_signing_name.get(signing_name, [])
        if not groups:
            return None
        base = AwsRequest(
            raw=request,
            body=body,
            signing_name=signing_name,
            region=region,
            access_key=access_key,
            account_id=account_for(request, access_key),
            forward=lambda: self._forward(environ, body),
        )
        for group in groups:
            operation = resolve_operation(group.service, request, body)
            handler = group.operations.get(operation or "")
            if handler is None or operation is None:
                continue
            aws_request = replace(base, service=group.service, operation=operation)
            action = group.iam_actions.get(operation)
            resource = group.resources.get(operation)
            on = resource(aws_request) if resource is not None else "*"
            return authorize(aws_request, action, on) or handler(aws_request, self.state)
        return self._unsupported(replace(base, service=groups[0].service), groups)

    def _unsupported(self, request: AwsRequest, groups: list[Handlers]) -> Response | None:
        """An operation of a sandbox-only service that the sandbox does not implement."""
        if any(group.moto_has_service for group in groups):
            return None
        operation = resolve_operation(request.service, request.raw, request.body)
        message = f"The wa-audit sandbox does not implement {operation or 'this operation'}"
        return error_response(request, "UnknownOperationException", message)

    def _forward(self, environ: dict[str, Any], body: bytes) -> Response:
        """moto's own answer, for handlers that correct it rather than replace it."""
        environ = dict(environ, **{"wsgi.input": io.BytesIO(body)})
        app_iter, status, headers = run_wsgi_app(self.moto, environ)
        return Response(b"".join(app_iter), status=status, headers=headers)
