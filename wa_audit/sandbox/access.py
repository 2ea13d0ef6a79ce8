"""IAM for the sandbox: denials as AWS gives them, for the operations it answers and for moto's.

Once ``/moto-api/reset-auth`` turns enforcement on, moto checks the caller's policies in the
operations it answers; requests an extension answers never reach moto, so the app calls
:func:`authorize` before every extension handler, naming the real IAM action where AWS's differs
from the operation (``budgets:ViewBudget`` authorizes ``DescribeBudgets``). moto words its own
denials in XML whatever the protocol, which :func:`json_denial` puts right for JSON services.
"""

from __future__ import annotations

from xml.etree import ElementTree

from werkzeug.wrappers import Request, Response

from wa_audit.sandbox.protocol import (
    AwsRequest,
    credential_scope,
    error_response,
    json_response,
    service_model,
)

_JSON_CODES = {"AccessDenied": "AccessDeniedException"}
JSON_PROTOCOLS = frozenset({"json", "rest-json"})


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
        iam_request.check_action_permitted("*")
    except _RESTError as error:
        code = error.error_type
        if service_model(request.service).protocol in JSON_PROTOCOLS:
            code = _JSON_CODES.get(code, code)
        return error_response(request, code, error.message, status=error.code or 403)
    return None


def _protocol_of(signing_name: str) -> str | None:
    """The protocol of the botocore service named like its signing name (most are)."""
    try:
        model = service_model(signing_name)
    except Exception:  # botocore raises UnknownServiceError; anything else means "don't know"
        return None
    return model.protocol if model.signing_name == signing_name else None


def json_denial(request: Request, response: Response) -> Response:
    """moto answers an IAM denial in XML even to JSON-protocol services; AWS answers in JSON.

    Rewritten so botocore sees ``AccessDeniedException`` (DynamoDB, Backup, …), not a bare 403.
    """
    if response.status_code != 403 or not response.get_data().lstrip().startswith(b"<"):
        return response
    scope = credential_scope(request)
    if scope is None or _protocol_of(scope[2]) not in JSON_PROTOCOLS:
        return response
    document = ElementTree.fromstring(response.get_data())  # noqa: S314 (moto's own answer)
    code = document.findtext(".//Code") or "AccessDenied"
    message = document.findtext(".//Message") or ""
    if code == "AccessDenied":
        code = "AccessDeniedException"
    body = {"__type": code, "message": message, "Message": message}
    fixed = json_response(body, 403)
    fixed.headers["X-Amzn-ErrorType"] = code
    return fixed
