"""API Gateway: IAM authorizes its management API by HTTP verb on a resource path, not by operation.

AWS's actions are ``apigateway:GET`` (reads), ``apigateway:POST`` … (Service Authorization
Reference, Amazon API Gateway Management), for REST (v1) and HTTP/WebSocket (v2) APIs alike. The
reads wa-audit makes are authorized here under that action, then answered by moto.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest
from wa_audit.sandbox.state import SandboxState

READ = "GET"
"""IAM checks ``apigateway:GET``: the sandbox prefixes the signing name."""
handlers = Handlers(service="apigateway", signing_name="apigateway")
v2_handlers = Handlers(service="apigatewayv2", signing_name="apigateway")


def _moto(request: AwsRequest, state: SandboxState) -> Response:
    return request.forward()


for _operation in ("GetRestApis", "GetStages", "GetUsagePlans"):
    handlers.operation(_operation, iam_action=READ)(_moto)
for _operation in ("GetApis", "GetStages"):
    v2_handlers.operation(_operation, iam_action=READ)(_moto)
