"""DynamoDB facts: the region's tables, whether they keep point-in-time recovery, and their tags."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class Table(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    arn: str
    point_in_time_recovery: bool


@fact(
    "dynamodb.tables",
    regional=True,
    permissions=["dynamodb:ListTables", "dynamodb:DescribeContinuousBackups"],
)
def tables(ctx: FetchContext) -> tuple[Table, ...]:
    """ListTables, then one DescribeContinuousBackups per table: AWS has no batch form of it."""
    client = ctx.client("dynamodb")
    found = []
    for name in ctx.paginate("dynamodb", "list_tables", "TableNames"):
        backups = client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        pitr = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
        arn = f"arn:{ctx.partition}:dynamodb:{ctx.region}:{ctx.account_id}:table/{name}"
        found.append(Table(name=name, arn=arn, point_in_time_recovery=pitr == "ENABLED"))
    return tuple(found)


@fact(
    "dynamodb.table_tags",
    regional=True,
    permissions=["dynamodb:ListTagsOfResource"],
    needs=(tables,),
)
def table_tags(ctx: FetchContext) -> dict[str, dict[str, str]]:
    """Tags by table ARN; read only when an AWS Backup selection chooses resources by tag."""
    client = ctx.client("dynamodb")
    found: dict[str, dict[str, str]] = {}
    for table in ctx.get(tables):
        tags: dict[str, str] = {}
        paginator = client.get_paginator("list_tags_of_resource")
        for page in paginator.paginate(ResourceArn=table.arn):
            tags.update({tag["Key"]: tag["Value"] for tag in page.get("Tags", [])})
        found[table.arn] = tags
    return found


class TableCapacity(BaseModel):
    """How a table is billed, and the provisioned throughput of it and its global indexes."""

    model_config = ConfigDict(frozen=True)

    name: str
    arn: str
    billing_mode: str
    """PROVISIONED or PAY_PER_REQUEST."""
    global_indexes: tuple[str, ...] = ()

    @property
    def provisioned(self) -> bool:
        return self.billing_mode == "PROVISIONED"


@fact(
    "dynamodb.table_capacity",
    regional=True,
    permissions=["dynamodb:DescribeTable"],
    needs=(tables,),
)
def table_capacity(ctx: FetchContext) -> tuple[TableCapacity, ...]:
    """One DescribeTable per table: ListTables gives names only.

    ``BillingModeSummary`` is absent for tables created provisioned that never changed mode
    (DynamoDB's TableDescription reference), so its absence means PROVISIONED, not unknown.
    """
    client = ctx.client("dynamodb")
    found = []
    for table in ctx.get(tables):
        raw = client.describe_table(TableName=table.name)["Table"]
        mode = raw.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
        indexes = tuple(index["IndexName"] for index in raw.get("GlobalSecondaryIndexes", ()))
        found.append(
            TableCapacity(name=table.name, arn=table.arn, billing_mode=mode, global_indexes=indexes)
        )
    return tuple(found)
