"""AWS Backup facts: every backup plan's resource selections, and which resources they cover."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from wa_audit.facts import dynamodb, ec2, efs, rds
from wa_audit.facts.base import FetchContext, fact

TAG_KEY_PREFIX = "aws:ResourceTag/"
Operator = Literal["StringEquals", "StringNotEquals", "StringLike", "StringNotLike"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class TagCondition(_Model):
    operator: Operator
    key: str
    value: str

    def holds(self, tags: dict[str, str]) -> bool:
        actual = tags.get(self.key)
        if self.operator == "StringEquals":
            return actual == self.value
        if self.operator == "StringNotEquals":
            return actual != self.value
        like = actual is not None and fnmatchcase(actual, self.value)
        return like if self.operator == "StringLike" else not like


class BackupSelection(_Model):
    """One resource assignment of a plan, evaluated the way AWS Backup documents it.

    A resource is selected when it matches ``Resources`` (ARNs, ``*`` wildcards) or any of
    ``ListOfTags``, then every one of ``Conditions``, and none of ``NotResources``.
    """

    plan_id: str
    plan_name: str
    selection_id: str
    name: str
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    list_of_tags: tuple[TagCondition, ...] = ()
    conditions: tuple[TagCondition, ...] = ()

    @property
    def uses_tags(self) -> bool:
        return bool(self.list_of_tags or self.conditions)

    def covers(self, arn: str, tags: dict[str, str]) -> bool:
        chosen = any(fnmatchcase(arn, pattern) for pattern in self.resources) or any(
            condition.holds(tags) for condition in self.list_of_tags
        )
        return (
            chosen
            and all(condition.holds(tags) for condition in self.conditions)
            and not any(fnmatchcase(arn, pattern) for pattern in self.not_resources)
        )


def _key(raw: str) -> str:
    return raw.removeprefix(TAG_KEY_PREFIX)


def _selection(
    plan_id: str, plan_name: str, selection_id: str, raw: dict[str, Any]
) -> BackupSelection:
    conditions = [
        TagCondition(operator=operator, key=_key(c["ConditionKey"]), value=c["ConditionValue"])
        for operator, entries in (raw.get("Conditions") or {}).items()
        for c in entries
    ]
    return BackupSelection(
        plan_id=plan_id,
        plan_name=plan_name,
        selection_id=selection_id,
        name=raw.get("SelectionName", ""),
        resources=tuple(raw.get("Resources") or ()),
        not_resources=tuple(raw.get("NotResources") or ()),
        list_of_tags=tuple(
            TagCondition(
                operator="StringEquals", key=_key(t["ConditionKey"]), value=t["ConditionValue"]
            )
            for t in raw.get("ListOfTags") or ()
        ),
        conditions=tuple(conditions),
    )


@fact(
    "backup.selections",
    regional=True,
    permissions=[
        "backup:ListBackupPlans",
        "backup:ListBackupSelections",
        "backup:GetBackupSelection",
    ],
)
def selections(ctx: FetchContext) -> tuple[BackupSelection, ...]:
    """Plans, then their selections; a selection's resources are only in GetBackupSelection."""
    client = ctx.client("backup")
    found = []
    for plan in ctx.paginate("backup", "list_backup_plans", "BackupPlansList"):
        plan_id, plan_name = plan["BackupPlanId"], plan.get("BackupPlanName", "")
        listed = ctx.paginate(
            "backup", "list_backup_selections", "BackupSelectionsList", BackupPlanId=plan_id
        )
        for entry in listed:
            raw = client.get_backup_selection(
                BackupPlanId=plan_id, SelectionId=entry["SelectionId"]
            )["BackupSelection"]
            found.append(_selection(plan_id, plan_name, entry["SelectionId"], raw))
    return tuple(found)


class StatefulResource(_Model):
    """A resource that holds data AWS Backup can protect, and the selections that cover it."""

    arn: str
    kind: str
    name: str
    covered_by: tuple[str, ...]
    """``plan/selection`` names."""


def _resource(
    chosen: tuple[BackupSelection, ...],
    kind: str,
    name: str,
    *targets: tuple[str, dict[str, str]],
) -> StatefulResource:
    """The resource (first target) with the selections that cover it or any other target."""
    covered = [
        f"{s.plan_name}/{s.name}" for arn, tags in targets for s in chosen if s.covers(arn, tags)
    ]
    return StatefulResource(
        arn=targets[0][0], kind=kind, name=name, covered_by=tuple(dict.fromkeys(covered))
    )


@fact(
    "backup.coverage",
    regional=True,
    permissions=(),
    needs=(
        selections,
        rds.db_instances,
        rds.db_clusters,
        dynamodb.tables,
        dynamodb.table_tags,
        ec2.volumes,
        ec2.instances,
        efs.file_systems,
    ),
)
def coverage(ctx: FetchContext) -> tuple[StatefulResource, ...]:
    """RDS, DynamoDB, EBS and EFS resources with the backup selections covering each.

    An EBS volume is also covered through the EC2 instance it is attached to. DynamoDB tags are
    fetched (one call per table) only when some selection chooses resources by tag.
    """
    chosen = ctx.get(selections)
    tables = ctx.get(dynamodb.tables)
    table_tags = ctx.get(dynamodb.table_tags) if tables and any(s.uses_tags for s in chosen) else {}
    instance_tags = {i.id: i.tags for i in ctx.get(ec2.instances)}
    ec2_arn = f"arn:{ctx.partition}:ec2:{ctx.region}:{ctx.account_id}"
    return (
        *(
            _resource(chosen, "rds-instance", db.id, (db.arn, db.tags))
            for db in ctx.get(rds.db_instances)
            if db.cluster_id is None  # cluster members are backed up with their cluster
        ),
        *(
            _resource(chosen, "rds-cluster", c.id, (c.arn, c.tags))
            for c in ctx.get(rds.db_clusters)
        ),
        *(
            _resource(chosen, "dynamodb-table", t.name, (t.arn, table_tags.get(t.arn, {})))
            for t in tables
        ),
        *(
            _resource(
                chosen,
                "ebs-volume",
                v.id,
                (f"{ec2_arn}:volume/{v.id}", v.tags),
                *(
                    (f"{ec2_arn}:instance/{i}", instance_tags.get(i, {}))
                    for i in v.attached_instance_ids
                ),
            )
            for v in ctx.get(ec2.volumes)
        ),
        *(
            _resource(chosen, "efs-file-system", fs.id, (fs.arn, fs.tags))
            for fs in ctx.get(efs.file_systems)
        ),
    )
