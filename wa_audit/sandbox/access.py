"""IAM for the operations the sandbox answers itself, evaluated exactly as moto evaluates its own.

Once ``/moto-api/reset-auth`` turns enforcement on, moto checks every request it answers against the
caller's policies as ``<signing name>:<operation>``. Requests an extension answers never reach moto,
so an extension calls :func:`authorize` first, naming the real IAM action where AWS's differs from
the operation (``budgets:ViewBudget`` authorizes ``DescribeBudgets``); a test that denies that action
then gets AWS's AccessDenied, not a silent success.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handler
from wa_audit.sandbox.protocol import AwsRequest, error_response, service_model
from wa_audit.sandbox.state import SandboxState

_JSON_CODES = {"AccessDenied": "AccessDeniedException"}


def authorize(request: AwsRequest, action: str | None = None) -> Response | None:
    """None when the caller may call ``action`` (default: the operation); else AWS's error."""
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.exceptions import _RESTError
    from moto.iam.access_control import IAMRequest

    if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
        ActionAuthenticatorMixin.request_count += 1
        return None
    path = request.raw.path + (
        f"?{request.raw.query_string.decode()}" if request.raw.query_string else ""
    )
    try:
        iam_request = IAMRequest(
            account_id=request.account_id,
            method=request.raw.method,
            path=path,
            data={},
            body=request.body,
            headers=dict(request.raw.headers),
            action=action or request.operation,
        )
        iam_request.check_signature()
        iam_request.check_action_permitted("*")
    except _RESTError as error:
        code = error.error_type
        if service_model(request.service).protocol == "json":
            code = _JSON_CODES.get(code, code)
        return error_response(request, code, error.message, status=error.code or 403)
    return None


def authorized(action: str | None = None) -> Callable[[Handler], Handler]:
    """Decorate a handler so it runs only for callers allowed ``action`` (see :func:`authorize`)."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def guarded(request: AwsRequest, state: SandboxState) -> Response:
            return authorize(request, action) or handler(request, state)

        return guarded

    return wrap
