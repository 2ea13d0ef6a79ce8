"""ECS checks (ops.ecs-container-insights, ops.ecs-deployment-rollback, ops.ecs-logging,
rel.ecs-service-spread, sec.ecs-privileged-containers, sec.ecs-plaintext-secrets): a compliant
and a non-compliant account in the sandbox, ERROR naming a denied action, and edge cases on facts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.checks.containers_sandbox import ACCOUNT, REGION, findings, seed_containers
from tests.checks.sandbox_audit import assert_errors_naming
from tests.helpers import run_on_facts
from wa_audit.checks._secret_values import looks_secret
from wa_audit.checks.operational_excellence_containers import ecs_deployment_rollback
from wa_audit.checks.reliability_containers import ecs_service_spread
from wa_audit.facts import ecs, vpc
from wa_audit.models import Status

CLUSTER_ARN = f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/app"
SERVICE_ARN = f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/app/web"
TASK_ARN = f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/web:1"
IMAGE = "public.ecr.aws/nginx/nginx:1.27"


def _web(
    container: dict[str, Any] | None = None,
    *,
    insights: str = "enhanced",
    count: int = 2,
    subnets: tuple[str, ...] = ("private-a", "private-b"),
    breaker: bool = True,
) -> dict[str, Any]:
    return {
        "ecs_clusters": [{"name": "app", "container_insights": insights}],
        "task_definitions": [
            {"family": "web", "containers": [container or {"name": "web", "image": IMAGE}]}
        ],
        "services": [
            {
                "name": "web",
                "cluster": "app",
                "task_definition": "web",
                "desired_count": count,
                "subnets": list(subnets),
                "security_groups": ["app"],
                "circuit_breaker": breaker,
            }
        ],
    }


@pytest.mark.parametrize(
    ("insights", "status"),
    [("enhanced", Status.PASS), ("enabled", Status.PASS), ("disabled", Status.FAIL)],
)
def test_container_insights(sandbox, insights, status):
    seed_containers(sandbox, _web(insights=insights))
    [finding] = findings("ops.ecs-container-insights")
    assert (finding.status, finding.resource) == (status, CLUSTER_ARN)
    assert finding.best_practices == ("OPS04-BP02", "PERF02-BP03")
    assert finding.evidence["containerInsights"] == insights


@pytest.mark.parametrize(("breaker", "status"), [(True, Status.PASS), (False, Status.FAIL)])
def test_deployment_rollback(sandbox, breaker, status):
    seed_containers(sandbox, _web(breaker=breaker))
    [finding] = findings("ops.ecs-deployment-rollback")
    assert (finding.status, finding.resource) == (status, SERVICE_ARN)
    assert finding.best_practices == ("OPS06-BP01", "OPS06-BP04")


def test_a_service_created_without_deployment_configuration_has_no_rollback(sandbox):
    """AWS's default for the rolling controller: circuit breaker off (the sandbox answers it)."""
    seed_containers(sandbox, {**_web(), "services": []})
    sandbox.client("ecs").create_service(
        cluster="app", serviceName="bare", taskDefinition="web", desiredCount=2
    )
    [finding] = findings("ops.ecs-deployment-rollback")
    assert finding.status is Status.FAIL
    assert finding.evidence["circuit_breaker_rollback"] is False


def _service(**changes: Any) -> ecs.Service:
    fields: dict[str, Any] = {
        "arn": SERVICE_ARN,
        "name": "web",
        "cluster_arn": CLUSTER_ARN,
        "desired_count": 2,
        "scheduling_strategy": "REPLICA",
        "deployment_controller": "ECS",
        "circuit_breaker": False,
        "alarm_rollback": False,
        "subnets": (),
        "task_definition": TASK_ARN,
    }
    return ecs.Service(**(fields | changes))


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"deployment_controller": "CODE_DEPLOY"}, Status.PASS),
        ({"alarm_rollback": True}, Status.PASS),
        ({"deployment_controller": "EXTERNAL"}, Status.NOT_APPLICABLE),
    ],
)
def test_other_ways_to_roll_back(changes, status):
    facts = {ecs.services: (_service(**changes),)}
    [finding] = run_on_facts(ecs_deployment_rollback, facts, region=REGION)
    assert (finding.status, finding.resource) == (status, SERVICE_ARN)


def test_the_alarm_rollback_shape_is_read_from_describe_services():
    raw = {
        "serviceArn": SERVICE_ARN,
        "serviceName": "web",
        "clusterArn": CLUSTER_ARN,
        "deploymentConfiguration": {
            "alarms": {"alarmNames": ["web-5xx"], "enable": True, "rollback": True}
        },
    }
    assert ecs._service(raw).alarm_rollback is True
    raw["deploymentConfiguration"]["alarms"]["alarmNames"] = []
    assert ecs._service(raw).alarm_rollback is False


@pytest.mark.parametrize(("logs", "status"), [(True, Status.PASS), (False, Status.FAIL)])
def test_container_logging(sandbox, logs, status):
    seed_containers(sandbox, _web({"name": "web", "image": IMAGE, "logs": logs}))
    [finding] = findings("ops.ecs-logging")
    assert (finding.status, finding.resource) == (status, TASK_ARN)
    assert finding.best_practices == ("OPS08-BP02", "REL06-BP01")
    assert finding.evidence["containers_without_logs"] == ([] if logs else ["web"])


@pytest.mark.parametrize(("privileged", "status"), [(False, Status.PASS), (True, Status.FAIL)])
def test_privileged_containers(sandbox, privileged, status):
    seed_containers(sandbox, _web({"name": "web", "image": IMAGE, "privileged": privileged}))
    [finding] = findings("sec.ecs-privileged-containers")
    assert (finding.status, finding.resource) == (status, TASK_ARN)
    assert finding.best_practices == ("SEC03-BP02",)


def test_plaintext_secrets_are_named_never_shown(sandbox):
    container = {
        "name": "web",
        "image": IMAGE,
        "environment": {"DB_HOST": "db.internal", "DB_PASSWORD": "s3cr3t-value"},
    }
    seed_containers(sandbox, _web(container))
    [finding] = findings("sec.ecs-plaintext-secrets")
    assert (finding.status, finding.resource) == (Status.FAIL, TASK_ARN)
    assert finding.best_practices == ("SEC02-BP03",)
    assert finding.evidence["variables_by_container"] == {"web": ["DB_PASSWORD"]}
    assert "s3cr3t-value" not in finding.model_dump_json()


def test_secrets_referenced_from_secrets_manager_pass(sandbox):
    arn = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:db-AbCdEf"
    container = {
        "name": "web",
        "image": IMAGE,
        "environment": {"DB_HOST": "db.internal", "DB_PASSWORD_SECRET_ARN": arn},
        "secrets": {"DB_PASSWORD": arn},
    }
    seed_containers(sandbox, _web(container))
    [finding] = findings("sec.ecs-plaintext-secrets")
    assert (finding.status, finding.resource) == (Status.PASS, TASK_ARN)


@pytest.mark.parametrize(
    ("name", "value", "secret"),
    [
        ("API_TOKEN", "abc123", True),
        ("STRIPE_SECRET_KEY", "sk_live_x", True),
        ("ANYTHING", "AKIAIOSFODNN7EXAMPLE", True),
        ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", True),
        ("DB_PASSWORD", "", False),
        ("DB_PASSWORD_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:x", False),
        ("TOKEN_TTL", "3600", False),
        ("SECRET_ROTATION", "true", False),
        ("PASSWORD_FILE", "/run/secrets/db", False),
        ("DB_HOST", "db.internal", False),
    ],
)
def test_what_looks_like_a_secret(name, value, secret):
    assert looks_secret(name, value) is secret


@pytest.mark.parametrize(
    ("count", "subnets", "status", "words"),
    [
        (2, ("private-a", "private-b"), Status.PASS, "runs 2 tasks across 2 zones"),
        (1, ("private-a", "private-b"), Status.FAIL, "runs 1 task:"),
        (2, ("private-a", "private-a2"), Status.FAIL, "places tasks in 1 Availability Zone"),
    ],
)
def test_service_spread(sandbox, count, subnets, status, words):
    seed_containers(sandbox, _web(count=count, subnets=subnets))
    [finding] = findings("rel.ecs-service-spread")
    assert (finding.status, finding.resource) == (status, SERVICE_ARN)
    assert finding.best_practices == ("REL10-BP01", "REL11-BP03")
    assert words in finding.message


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"scheduling_strategy": "DAEMON", "desired_count": 0}, Status.NOT_APPLICABLE),
        ({"desired_count": 0}, Status.NOT_APPLICABLE),
        ({"desired_count": 3}, Status.PASS),  # bridge mode on EC2: the instances' zones apply
        ({"desired_count": 1}, Status.FAIL),
    ],
)
def test_service_spread_without_awsvpc_subnets(changes, status):
    facts = {ecs.services: (_service(**changes),), vpc.subnets: ()}
    [finding] = run_on_facts(ecs_service_spread, facts, region=REGION)
    assert (finding.status, finding.resource) == (status, SERVICE_ARN)


def test_task_definitions_are_read_once_per_revision(sandbox):
    """The family's latest revision and the revision its service runs are one read, not two."""
    seed_containers(sandbox, _web())
    report_findings = findings("ops.ecs-logging")
    assert [f.resource for f in report_findings] == [TASK_ARN]


@pytest.mark.parametrize(
    ("check_id", "denied"),
    [
        ("ops.ecs-deployment-rollback", "ecs:DescribeServices"),
        ("sec.ecs-privileged-containers", "ecs:DescribeTaskDefinition"),
        ("ops.ecs-container-insights", "ecs:DescribeClusters"),
    ],
)
def test_denied_reads_are_errors_naming_the_action(sandbox, monkeypatch, check_id, denied):
    seed_containers(sandbox, _web())
    sandbox.enforce_iam(monkeypatch, deny=[denied])
    assert_errors_naming(findings(check_id), denied)
