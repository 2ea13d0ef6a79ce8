"""Resource Groups Tagging API: moto's GetResources lists some resources that were never tagged.

AWS lists only resources that have, or once had, a tag. moto lists every ElastiCache replication
group (and others), tagged or not, with an empty ``Tags``; nothing in the sandbox removes tags, so an
entry without tags is one AWS would not list, and is dropped from moto's answer here.
"""

from __future__ import annotations

import json

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="resourcegroupstaggingapi", signing_name="tagging")


@handlers.operation("GetResources")
def get_resources(request: AwsRequest, state: SandboxState) -> Response:
    answer = request.forward()
    if answer.status_code != 200:
        return answer
    body = json.loads(answer.get_data() or b"{}")
    body["ResourceTagMappingList"] = [
        entry for entry in body.get("ResourceTagMappingList", []) if entry.get("Tags")
    ]
    return json_response(body)
