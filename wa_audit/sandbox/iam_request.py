"""The request moto checks IAM with, put right where moto's check differs from AWS's.

With IAM enforced, a user holding exactly the policy ``wa-audit policy`` prints must be able to
audit, and a user lacking one action must be denied that action. Four things in moto 5.2 stand in
the way, all corrected here for moto's operations and the sandbox's alike:

- **The signed body.** moto rebuilds the request from the raw body or, when that is empty, from the
  parsed parameters; and a request with neither body nor query string (a REST ``GET`` without
  parameters: GuardDuty ``ListDetectors``, Security Hub ``DescribeHub``, Backup
  ``ListBackupPlans``) gets the request's *headers* as its parameters
  (``moto.core.responses.BaseResponse.setup_class``). moto then hashes a form of the headers where
  the client hashed the empty body: ``SignatureDoesNotMatch`` whatever the credentials. Only a form
  body (query protocol), which werkzeug consumes into ``request.form``, needs the parsed parameters.
- **The IAM prefix.** moto names the action after the SigV4 signing name; CloudWatch signs as
  ``monitoring`` (botocore ``cloudwatch`` model, ``signingName``) but IAM's prefix is ``cloudwatch``.
- **Actions named after the HTTP method.** API Gateway's management API is authorized by verb
  (``apigateway:GET``), not by operation.
- **Actions named unlike the operation.** S3 Control's ``GetPublicAccessBlock`` needs
  ``s3:GetAccountPublicAccessBlock`` (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAccountGETPublicAccessBlock.html),
  not ``s3:GetPublicAccessBlock``.

The signature is still checked, with the caller's secret key: wrong credentials are still refused.
Imported only with the sandbox (moto is the ``demo`` extra).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import moto.iam.access_control
import moto.s3.responses
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from moto.iam.access_control import IAMRequest

from wa_audit.sandbox.protocol import SIGNING_NAME_SERVICES

_FORM = "application/x-www-form-urlencoded"

MOTO_ACTIONS = {
    # S3 Control (signing name ``s3``; moto's S3 proper checks with its own S3IAMRequest).
    "s3:GetPublicAccessBlock": "s3:GetAccountPublicAccessBlock",
    "s3:PutPublicAccessBlock": "s3:PutAccountPublicAccessBlock",
    # The Resource Groups Tagging API signs as ``tagging``; its IAM prefix is ``tag``.
    # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonresourcegrouptaggingapi.html
    "tagging:GetResources": "tag:GetResources",
}
"""AWS's IAM action where moto's ``<prefix>:<operation>`` names one IAM does not have."""

BUCKET_PUBLIC_ACCESS_BLOCK_ACTIONS = {
    "GET": "GetBucketPublicAccessBlock",
    "PUT": "PutBucketPublicAccessBlock",
    "DELETE": "PutBucketPublicAccessBlock",
}
"""A bucket's Get/Put/DeletePublicAccessBlock need ``s3:Get/PutBucketPublicAccessBlock``
(https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetPublicAccessBlock.html, Permissions);
moto's S3 checked them as ``s3:ListBucket`` (GET) or its bucket default."""

HTTP_VERB_SERVICES = frozenset({"apigateway"})
"""Services whose IAM actions are the request's HTTP method: every API Gateway management call,
REST (v1) and HTTP/WebSocket (v2) alike, is ``apigateway:GET``, ``apigateway:POST`` …
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagement.html)."""


def iam_action(signing_name: str, operation: str) -> str:
    """The IAM action AWS checks for ``operation`` of the service signing as ``signing_name``."""
    action = f"{SIGNING_NAME_SERVICES.get(signing_name, signing_name)}:{operation}"
    return MOTO_ACTIONS.get(action, action)


def _content_type(headers: Mapping[str, str]) -> str:
    """Looked up case-insensitively: moto passes werkzeug's headers, the sandbox a plain dict."""
    return next((value for key, value in headers.items() if key.lower() == "content-type"), "")


class SandboxIAMRequest(IAMRequest):
    """moto's IAM request with AWS's action name and the client's signed payload."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._action = iam_action(self._service, self._action.split(":", 1)[1])
        if self._service in HTTP_VERB_SERVICES:
            self._action = f"{self._service}:{self._method}"

    def _create_auth(self, credentials: Any) -> SigV4Auth:
        """S3 and S3 Control sign with S3's variant (no path normalisation), as botocore does."""
        if self._service == "s3":
            return S3SigV4Auth(credentials, self._service, self._region)
        return SigV4Auth(credentials, self._service, self._region)

    def _create_aws_request(self) -> AWSRequest:
        request = super()._create_aws_request()
        request.data = self._signed_payload()
        return request

    def _signed_payload(self) -> Any:
        if self._body:
            return self._body
        if _content_type(self._headers).startswith(_FORM):
            return self._data  # the form werkzeug parsed the body into
        return b""


def install() -> None:
    """Make moto check IAM with :class:`SandboxIAMRequest` (idempotent).

    moto looks ``IAMRequest`` up in its module on every request
    (``ActionAuthenticatorMixin._authenticate_and_authorize_normal_action``), so this one
    assignment reaches every service; S3 proper keeps moto's ``S3IAMRequest``, which signs
    ``X-Amz-Content-SHA256`` rather than the body and names S3's actions itself.
    """
    moto.iam.access_control.IAMRequest = SandboxIAMRequest  # type: ignore[misc]
    for method, action in BUCKET_PUBLIC_ACCESS_BLOCK_ACTIONS.items():
        # moto keys it "public_access_block", but matches the request's query ("publicAccessBlock"):
        # unmatched, the call was checked as s3:ListBucket.
        moto.s3.responses.ACTION_MAP["BUCKET"][method]["publicAccessBlock"] = action
