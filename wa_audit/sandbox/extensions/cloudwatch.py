"""CloudWatch: dashboards are global on AWS, per region in moto.

"All dashboards in your account are global, not region-specific" (CloudWatch API reference,
PutDashboard), so ListDashboards in any region lists them all. After moto stores a dashboard (or
deletes one) in the request's region, every region of the partition shares that region's
dashboards, merged with any put elsewhere before.
"""

from __future__ import annotations

from typing import Any

import boto3
from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="cloudwatch", signing_name="monitoring")


def _share(request: AwsRequest) -> None:
    from moto.cloudwatch.models import cloudwatch_backends
    from moto.utilities.utils import get_partition

    partition = get_partition(request.region)
    regions = boto3.session.Session().get_available_regions("cloudwatch", partition_name=partition)
    backends: Any = cloudwatch_backends[request.account_id]
    shared = backends[request.region].dashboards
    for region in regions:
        backend = backends[region]
        if backend.dashboards is not shared:
            for name, dashboard in backend.dashboards.items():
                shared.setdefault(name, dashboard)
            backend.dashboards = shared


def _global(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    if response.status_code == 200:
        _share(request)
    return response


handlers.operation("PutDashboard")(_global)
handlers.operation("DeleteDashboards")(_global)
