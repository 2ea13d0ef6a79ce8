"""RDS: what moto lacks or gets wrong that wa-audit's facts read.

- ``DescribeAccountAttributes``, the API's own count of usage against RDS quotas, is missing. Usage
  is counted from moto's RDS resources; each Max is the account's Service Quotas value, so a quota
  raised in the sandbox shows up here as it would on AWS.
- ``CreateDBInstanceReadReplica`` copies the source's backup retention; AWS "creates read replicas
  with backups disabled" (botocore's rds model, CreateDBInstanceReadReplica), so the replica's
  ``BackupRetentionPeriod`` is 0 in moto's model and in the answer.
- ``PerformanceInsightsEnabled`` is missing from moto's DB instances; AWS returns it. The sandbox
  keeps ``EnablePerformanceInsights`` from CreateDBInstance and adds the member (false when not
  asked for) to CreateDBInstance and DescribeDBInstances answers.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree import ElementTree

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.extensions.servicequotas import applied_value
from wa_audit.sandbox.protocol import AwsRequest, query_response
from wa_audit.sandbox.state import SandboxState
from wa_audit.sandbox.xml_responses import Element, corrected

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


@handlers.operation("CreateDBInstanceReadReplica")
def create_read_replica(request: AwsRequest, state: SandboxState) -> Response:
    from moto.rds.models import rds_backends

    def backups_disabled(root: Element, namespace: str) -> None:
        replica = request.form()["DBInstanceIdentifier"]
        backend = rds_backends[request.account_id][request.region]
        backend.databases[replica].backup_retention_period = 0
        for retention in root.iter(f"{{{namespace}}}BackupRetentionPeriod"):
            retention.text = "0"

    return corrected(request, backups_disabled)


def _insights(state: SandboxState, account_id: str) -> dict[tuple[str, str], bool]:
    """(region, DB instance id) → whether Performance Insights was turned on at creation."""
    return state.area(account_id, "rds.performance_insights", dict)


def _add_insights(request: AwsRequest, state: SandboxState) -> Callable[[Element, str], None]:
    enabled = _insights(state, request.account_id)

    def edit(root: Element, namespace: str) -> None:
        def q(tag: str) -> str:
            return f"{{{namespace}}}{tag}" if namespace else tag

        for instance in root.iter(q("DBInstance")):
            identifier = instance.find(q("DBInstanceIdentifier"))
            if identifier is None or instance.find(q("PerformanceInsightsEnabled")) is not None:
                continue
            on = enabled.get((request.region, identifier.text or ""), False)
            ElementTree.SubElement(instance, q("PerformanceInsightsEnabled")).text = (
                "true" if on else "false"
            )

    return edit


@handlers.operation("CreateDBInstance")
def create_db_instance(request: AwsRequest, state: SandboxState) -> Response:
    form = request.form()
    key = (request.region, form.get("DBInstanceIdentifier", ""))
    _insights(state, request.account_id)[key] = form.get("EnablePerformanceInsights") == "true"
    return corrected(request, _add_insights(request, state))


@handlers.operation("DescribeDBInstances")
def describe_db_instances(request: AwsRequest, state: SandboxState) -> Response:
    return corrected(request, _add_insights(request, state))
