"""RDS: moto lacks DescribeAccountAttributes, the API's own count of usage against RDS quotas.

Usage is counted from moto's RDS resources; each Max is the account's Service Quotas value, so a
quota raised in the sandbox shows up here as it would on AWS.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.extensions.servicequotas import applied_value
from wa_audit.sandbox.protocol import AwsRequest, query_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="rds", signing_name="rds")

QUOTA_CODES = {
    "DBInstances": "L-7B6409FD",
    "AllocatedStorage": "L-7ADDB58A",
    "ManualSnapshots": "L-272F1212",
    "DBParameterGroups": "L-DE55804A",
    "DBSubnetGroups": "L-48C6BF61",
    "DBClusters": "L-952B80B8",
}


def _used(account_id: str, region: str) -> dict[str, int]:
    from moto.rds.models import rds_backends

    backend = rds_backends[account_id][region]
    databases = list(backend.databases.values())
    return {
        "DBInstances": len(databases),
        # GiB on EBS for all instances; Aurora storage is the cluster volume's and does not count.
        "AllocatedStorage": sum(
            int(db.allocated_storage or 0)
            for db in databases
            if not str(db.engine).startswith("aurora")
        ),
        "ManualSnapshots": sum(
            1 for s in backend.database_snapshots.values() if s.snapshot_type == "manual"
        ),
        "DBParameterGroups": sum(
            1 for name in backend.db_parameter_groups if not str(name).startswith("default.")
        ),
        "DBSubnetGroups": len(backend.subnet_groups),
        "DBClusters": len(backend.clusters),
    }


@handlers.operation("DescribeAccountAttributes")
def describe_account_attributes(request: AwsRequest, state: SandboxState) -> Response:
    used = _used(request.account_id, request.region)
    quotas = [
        {
            "AccountQuotaName": name,
            "Used": used[name],
            "Max": int(applied_value(state, request.account_id, request.region, "rds", code)),
        }
        for name, code in QUOTA_CODES.items()
    ]
    return query_response(request, {"AccountQuotas": quotas})
