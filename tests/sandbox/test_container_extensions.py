"""The sandbox's ECS, EKS and Inspector extensions answer in AWS's shapes and with AWS's defaults."""

from __future__ import annotations

import json

from tests.sandbox.shapes import capture_wire, response_problems, wire_problems

ACCOUNT = "123456789012"


def test_eks_cluster_versions_list_aws_calendar_with_status(sandbox):
    eks = sandbox.client("eks")
    with capture_wire(eks) as bodies:
        everything = eks.describe_cluster_versions(includeAll=True)
    assert response_problems("eks", "DescribeClusterVersions", everything) == []
    assert wire_problems("eks", "DescribeClusterVersions", bodies["DescribeClusterVersions"]) == []
    by_version = {v["clusterVersion"]: v for v in everything["clusterVersions"]}
    assert by_version["1.28"]["versionStatus"] == "UNSUPPORTED"  # extended support ended 2025-11
    assert by_version["1.28"]["status"] == "unsupported"
    offered = eks.describe_cluster_versions()["clusterVersions"]
    assert "1.28" not in {v["clusterVersion"] for v in offered}
    [default] = eks.describe_cluster_versions(defaultOnly=True)["clusterVersions"]
    assert default["versionStatus"] == "STANDARD_SUPPORT"
    [one] = eks.describe_cluster_versions(clusterVersions=["1.32"])["clusterVersions"]
    assert one["endOfStandardSupportDate"].date().isoformat() == "2026-03-23"


def test_inspector_status_is_the_callers_and_disabled_until_enabled(sandbox):
    inspector = sandbox.client("inspector2")
    with capture_wire(inspector) as bodies:
        before = inspector.batch_get_account_status()
    # errorCode/errorMessage: required by the model, left out for a healthy account (see the
    # extension's docstring); every other member must fit.
    problems = response_problems("inspector2", "BatchGetAccountStatus", before)
    problems += wire_problems(
        "inspector2", "BatchGetAccountStatus", bodies["BatchGetAccountStatus"]
    )
    assert [p for p in problems if "'errorCode'" not in p and "'errorMessage'" not in p] == []
    [account] = before["accounts"]
    assert (account["accountId"], account["resourceState"]["ecr"]["status"]) == (
        ACCOUNT,
        "DISABLED",
    )
    inspector.enable(accountIds=[ACCOUNT], resourceTypes=["ECR"])
    [after] = inspector.batch_get_account_status()["accounts"]
    assert after["resourceState"]["ecr"]["status"] == "ENABLED"


def test_ecs_services_carry_their_deployment_configuration(sandbox):
    ecs = sandbox.client("ecs")
    ecs.create_cluster(clusterName="app")
    ecs.register_task_definition(
        family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}]
    )
    breaker = {"deploymentCircuitBreaker": {"enable": True, "rollback": True}}
    ecs.create_service(
        cluster="app",
        serviceName="safe",
        taskDefinition="web",
        desiredCount=1,
        deploymentConfiguration=breaker,
    )
    ecs.create_service(cluster="app", serviceName="bare", taskDefinition="web", desiredCount=1)
    with capture_wire(ecs) as bodies:
        services = ecs.describe_services(cluster="app", services=["safe", "bare"])["services"]
    configuration = {s["serviceName"]: s["deploymentConfiguration"] for s in services}
    assert configuration["safe"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert configuration["bare"] == {
        "deploymentCircuitBreaker": {"enable": False, "rollback": False},
        "maximumPercent": 200,
        "minimumHealthyPercent": 100,
    }
    # Only the members the sandbox adds: the rest of the service is moto's own answer.
    sent = json.loads(bodies["DescribeServices"])["services"]
    added = {"services": [{"deploymentConfiguration": s["deploymentConfiguration"]} for s in sent]}
    assert wire_problems("ecs", "DescribeServices", json.dumps(added)) == []
