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
