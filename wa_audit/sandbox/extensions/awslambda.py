"""Lambda: moto lacks GetAccountSettings (computed here from moto's functions and layers) and drops
functions' ``DeadLetterConfig`` (kept here and added to CreateFunction's and ListFunctions' answers).

The limits follow the account's Service Quotas values (concurrent executions, code storage), so a
raised quota shows up here as it does on AWS.
"""

from __future__ import annotations

import json

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.extensions.servicequotas import applied_value
from wa_audit.sandbox.protocol import AwsRequest, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="lambda", signing_name="lambda")

GIB = 1024**3
CODE_SIZE_UNZIPPED = 262_144_000  # 250 MB, fixed by AWS
CODE_SIZE_ZIPPED = 52_428_800  # 50 MB for direct upload, fixed by AWS


@handlers.operation("GetAccountSettings")
def get_account_settings(request: AwsRequest, state: SandboxState) -> Response:
    from moto.awslambda.models import lambda_backends

    backend = lambda_backends[request.account_id][request.region]
    functions = list(backend._lambdas.all())
    latest = list(backend._lambdas.latest())
    layers = [
        v for layer in backend._layers._layers.values() for v in layer.layer_versions.values()
    ]
    concurrency = int(
        applied_value(state, request.account_id, request.region, "lambda", "L-B99A9384")
    )
    storage_gib = applied_value(state, request.account_id, request.region, "lambda", "L-2ACBD22F")
    reserved = sum(int(f.reserved_concurrency or 0) for f in latest)
    return json_response(
        {
            "AccountLimit": {
                "TotalCodeSize": int(storage_gib * GIB),
                "CodeSizeUnzipped": CODE_SIZE_UNZIPPED,
                "CodeSizeZipped": CODE_SIZE_ZIPPED,
                "ConcurrentExecutions": concurrency,
                "UnreservedConcurrentExecutions": concurrency - reserved,
            },
            "AccountUsage": {
                "TotalCodeSize": sum(int(f.code_size or 0) for f in functions)
                + sum(int(layer.code_size or 0) for layer in layers),
                "FunctionCount": len(latest),
            },
        }
    )


def dead_letter_targets(state: SandboxState, account_id: str) -> dict[str, str]:
    """Function ARN → its dead-letter queue or topic, which moto does not keep."""
    return state.area(account_id, "lambda.dead_letter", dict)


@handlers.operation("CreateFunction")
def create_function(request: AwsRequest, state: SandboxState) -> Response:
    """moto drops ``DeadLetterConfig``; keep it and answer with it, as AWS does."""
    response = request.forward()
    target = (request.json().get("DeadLetterConfig") or {}).get("TargetArn")
    if response.status_code != 201 or not target:
        return response
    created = json.loads(response.get_data())
    dead_letter_targets(state, request.account_id)[created["FunctionArn"]] = target
    created["DeadLetterConfig"] = {"TargetArn": target}
    response.set_data(json.dumps(created).encode())
    return response


@handlers.operation("ListFunctions")
def list_functions(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    if response.status_code != 200:
        return response
    listed = json.loads(response.get_data())
    targets = dead_letter_targets(state, request.account_id)
    for function in listed.get("Functions", []):
        target = targets.get(str(function.get("FunctionArn", "")).removesuffix(":$LATEST"))
        if target:
            function["DeadLetterConfig"] = {"TargetArn": target}
    response.set_data(json.dumps(listed).encode())
    return response
