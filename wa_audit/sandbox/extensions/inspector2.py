"""Amazon Inspector: moto's BatchGetAccountStatus fails without ``accountIds`` (a 500) and leaves
out accounts it never enabled. AWS answers for the caller's own account when none are named, and
an account that never enabled Inspector is listed with every scan type DISABLED (botocore's
inspector2 model: ``accounts`` and each ``resourceState``'s ``ec2`` and ``ecr`` are required).

The model also marks each state's ``errorCode`` and ``errorMessage`` required, but no error code
means "no error" and AWS documents no example of a healthy account; the sandbox leaves them out
(botocore does not require them when parsing, and wa-audit reads only ``status``)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="inspector2", signing_name="inspector2")


@handlers.operation("BatchGetAccountStatus")
def batch_get_account_status(request: AwsRequest, state: SandboxState) -> Response:
    from moto.inspector2.models import AccountStatus, inspector2_backends

    backend = inspector2_backends[request.account_id][request.region]
    wanted = request.json().get("accountIds") or [request.account_id]
    accounts = [
        backend.account_status.get(account_id, AccountStatus(account_id)).to_batch_json()
        for account_id in wanted
    ]
    return json_response({"accounts": accounts, "failedAccounts": []})
