"""CloudTrail: moto's new trail has no event selectors; AWS's logs all management events.

A trail created without selectors "logs all read and write management events, and no data
events" (CloudTrail User Guide, Logging management events), and GetEventSelectors says so with
one classic selector. moto answers empty lists until PutEventSelectors; the sandbox answers AWS's
default instead, and passes everything else (errors included) through.
"""

from __future__ import annotations

import json

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="cloudtrail", signing_name="cloudtrail")

DEFAULT_SELECTOR = {
    "ReadWriteType": "All",
    "IncludeManagementEvents": True,
    "DataResources": [],
    "ExcludeManagementEventSources": [],
}


@handlers.operation("GetEventSelectors")
def get_event_selectors(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    if response.status_code != 200:
        return response
    body = json.loads(response.get_data())
    if body.get("EventSelectors") or body.get("AdvancedEventSelectors"):
        return response
    return json_response({"TrailARN": body["TrailARN"], "EventSelectors": [DEFAULT_SELECTOR]})
