"""IAM for the sandbox: denials as AWS gives them, for the operations it answers and for moto's.

Once ``/moto-api/reset-auth`` turns enforcement on, moto checks the caller's signature and
policies in the operations it answers; requests an extension answers never reach moto, so the app
calls :func:`authorize` (the same two checks) before every extension handler, naming the real IAM
action where AWS's differs from the operation (``budgets:ViewBudget`` authorizes
``DescribeBudgets``). moto words its own denials in XML whatever the protocol, which
:func:`denial_as_aws` puts right. :mod:`wa_audit.sandbox.iam_request` makes both checks AWS's.
"""

from __future__ import annotations

from xml.etree import ElementTree

from werkzeug.wrappers import Request, Response

from wa_audit.sandbox.protocol import (
    SIGNING_NAME_SERVICES,
    AwsRequest,
    credential_scope,
    error_response,
    json_response,
    raw_path,
    rest_xml_error,
    service_model,
    wire_protocol,
)

_JSON_CODES = {"AccessDenied": "AccessDeniedException"}
JSON_PROTOCOLS = frozenset({"json", "rest-json"})


def authorize(
    request: AwsRequest, action: str | None = None, resource: str = "*"
) -> Response | None:
    """None when the caller may call ``action`` (default: the operation) on ``resource``; else
    AWS's error."""
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.exceptions import _RESTError

    from wa_audit.sandbox.iam_request import SandboxIAMRequest

    if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
        ActionAuthenticatorMixin.request_count += 1
        return None
    path = raw_path(request.raw) + (
        f"?{request.raw.query_string.decode()}" if request.raw.query_string else ""
    )
    try:
        iam_request = SandboxIAMRequest(
            account_id=request.account_id,
            method=request.raw.method,
            path=path,
            data={},
            body=request.body,
            headers=dict(request.raw.headers),
            action=action or request.operation,
        )
        iam_request.check_signature()
        iam_request.check_action_permitted(resource)
    except _RESTError as error:
        code = error.error_type
        if wire_protocol(request.service) in JSON_PROTOCOLS:
            code = _JSON_CODES.get(code, code)
        return error_response(request, code, error.message, status=error.code or 403)
    return None


SIGNED_AS = {"tagging": "resourcegroupstaggingapi"}
"""botocore services named unlike their signing name and IAM prefix (the Resource Groups Tagging
API signs as ``tagging``, authorizes ``tag:`` actions)."""


def _protocol_of(signing_name: str) -> str | None:
    """The wire protocol of the botocore service that signs as ``signing_name``, if known."""
    service = SIGNED_AS.get(signing_name) or SIGNING_NAME_SERVICES.get(signing_name, signing_name)
    try:
        model = service_model(service)
    except Exception:  # botocore raises UnknownServiceError; anything else means "don't know"
        return None
    return wire_protocol(service) if model.signing_name == signing_name else None


def denial_as_aws(request: Request, response: Response) -> Response:
    """moto words an IAM denial as the query protocol does, whatever the service's protocol.

    Rewritten as the service answers, so botocore reads the code: JSON for JSON services
    (``AccessDeniedException``: DynamoDB, Backup, CloudWatch, …), S3's document for S3 Control
    (moto's ``<ErrorResponse><Errors>`` parses there as an empty code).
    """
    if response.status_code != 403 or not response.get_data().lstrip().startswith(b"<"):
        return response
    scope = credential_scope(request)
    protocol = None if scope is None else _protocol_of(scope[2])
    if protocol not in (*JSON_PROTOCOLS, "rest-xml"):
        return response
    document = ElementTree.fromstring(response.get_data())  # noqa: S314 (moto's own answer)
    if protocol == "rest-xml" and document.find(".//Errors") is None:
        return response  # S3's own error document already
    code = document.findtext(".//Code") or "AccessDenied"
    message = document.findtext(".//Message") or ""
    if protocol == "rest-xml":
        return rest_xml_error(code, message, 403)
    code = _JSON_CODES.get(code, code)
    body = {"__type": code, "message": message, "Message": message}
    fixed = json_response(body, 403)
    fixed.headers["X-Amzn-ErrorType"] = code
    return fixed
