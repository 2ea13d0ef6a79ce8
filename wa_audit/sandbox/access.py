"""IAM denials as AWS gives them, for the operations the sandbox answers and for moto's own.

moto checks a caller's policies only in the operations it answers, so an extension applies the
same check (:func:`iam_refusal`); and moto words its denials in XML whatever the protocol, which
:func:`json_denial` puts right for JSON-protocol services.
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

JSON_PROTOCOLS = frozenset({"json", "rest-json"})


def iam_refusal(request: AwsRequest) -> Response | None:
    """AWS's error if the caller's IAM policies deny the operation, else None.

    Enforced only once moto's own enforcement is on (``/moto-api/reset-auth``), like moto does;
    the signature is moto's concern and is not checked again here.
    """
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.exceptions import _RESTError as MotoError
    from moto.iam.access_control import IAMRequest

    if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
        ActionAuthenticatorMixin.request_count += 1
        return None
    try:
        IAMRequest(
            account_id=request.account_id,
            method=request.raw.method,
            path=request.raw.path,
            data={},
            body=request.body,
            headers=dict(request.raw.headers),
            action=request.operation,
        ).check_action_permitted("*")
    except MotoError as refused:
        code = refused.error_type
        if code == "AccessDenied" and service_model(request.service).protocol in JSON_PROTOCOLS:
            code = "AccessDeniedException"  # what JSON-protocol services call it
        return error_response(request, code, refused.message, refused.code)
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
