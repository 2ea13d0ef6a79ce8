"""KMS ``DescribeKey``: moto makes the AWS managed keys (``alias/aws/…``, created on first use,
e.g. for an RDS-managed secret) with ``KeyManager`` ``CUSTOMER``; AWS says ``AWS``
(https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key)."""

from __future__ import annotations

import json

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="kms", signing_name="kms")
AWS_MANAGED_PREFIX = "alias/aws/"


@handlers.operation("DescribeKey")
def describe_key(request: AwsRequest, state: SandboxState) -> Response:
    from moto.kms.models import kms_backends

    response = request.forward()
    if response.status_code != 200:
        return response
    body = json.loads(response.get_data())
    meta = body["KeyMetadata"]
    key = kms_backends[request.account_id][request.region].keys.get(meta["KeyId"])
    if key is not None and any(name.startswith(AWS_MANAGED_PREFIX) for name in key.aliases):
        meta["KeyManager"] = "AWS"
    return json_response(body)
