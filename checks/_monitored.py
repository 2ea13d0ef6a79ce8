"""The resources whose metrics deserve an alarm, with the CloudWatch dimensions naming them."""

from __future__ import annotations

from dataclasses import dataclass

from wa_audit.context import CheckContext
from wa_audit.facts import autoscaling, dynamodb, elbv2, rds
from wa_audit.facts.cloudwatch import MetricAlarm

MONITORED_FACTS = [
    elbv2.load_balancers,
    rds.db_instances,
    autoscaling.groups,
    dynamodb.tables,
]


@dataclass(frozen=True)
class Monitored:
    kind: str
    name: str
    arn: str
    dimensions: tuple[tuple[str, str], ...]
    """Any one of these (name, value) dimensions on an alarm's metric means it watches this."""

    def watched_by(self, alarm: MetricAlarm) -> bool:
        return any(alarm.watches_dimension(name, value) for name, value in self.dimensions)


def monitored_resources(ctx: CheckContext) -> list[Monitored]:
    """Load balancers, DB instances (or their cluster), Auto Scaling groups and DynamoDB tables
    of the check's region, as their metrics name them (AWS/ApplicationELB ``LoadBalancer``,
    AWS/RDS ``DBInstanceIdentifier``/``DBClusterIdentifier``, ``AutoScalingGroupName``,
    AWS/DynamoDB ``TableName``)."""
    found = [
        Monitored("load balancer", lb.name, lb.arn, (("LoadBalancer", lb.metric_dimension),))
        for lb in ctx.fact(elbv2.load_balancers)
    ]
    for db in ctx.fact(rds.db_instances):
        dimensions = [("DBInstanceIdentifier", db.id)]
        if db.cluster_id:
            dimensions.append(("DBClusterIdentifier", db.cluster_id))
        found.append(Monitored("DB instance", db.id, db.arn, tuple(dimensions)))
    found += [
        Monitored("Auto Scaling group", g.name, g.arn, (("AutoScalingGroupName", g.name),))
        for g in ctx.fact(autoscaling.groups)
    ]
    found += [
        Monitored("DynamoDB table", t.name, t.arn, (("TableName", t.name),))
        for t in ctx.fact(dynamodb.tables)
    ]
    return found
