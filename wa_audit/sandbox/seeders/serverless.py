"""Serverless and fleet-operations resources: Lambda functions, API Gateway stages, CloudFormation
stacks, Automation runbooks (all through the APIs a user would call) and the Systems Manager view of
the instances, which no API creates: an SSM Agent registers a node, and Patch Manager reports its
patch state, so both are written to the sandbox's SSM extension.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any, Literal

from pydantic import Field

from wa_audit.sandbox.extensions.cloudformation import record_drift
from wa_audit.sandbox.extensions.ssm import ManagedNode, PatchState, managed_nodes
from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder

LAMBDA_ROLE = "mublog-lambda-execution"
LOG_RETENTION_DAYS = 90
PATCH_BASELINE = "arn:aws:ssm:{region}:280605243866:patchbaseline/pb-0c10e65780EXAMPLE"


class FunctionSpec(SectionModel):
    region: str
    name: str
    runtime: str
    architecture: Literal["x86_64", "arm64"] = "x86_64"
    tracing: bool = False
    dead_letter_queue: bool = False
    on_failure_queue: bool = False
    environment: dict[str, str] = Field(default_factory=dict)


class ApiSpec(SectionModel):
    region: str
    name: str
    protocol: Literal["REST", "HTTP"] = "REST"
    stage: str = "prod"
    access_logs: bool = False
    execution_logging: Literal["OFF", "ERROR", "INFO"] = "OFF"
    tracing: bool = False
    throttle_rate: float | None = None
    usage_plan_rate: float | None = None


class FleetSpec(SectionModel):
    """Every running instance of the region (by Name tag) is an SSM managed node, except these."""

    region: str
    unmanaged: tuple[str, ...] = ()
    connection_lost: tuple[str, ...] = ()
    never_scanned: tuple[str, ...] = ()
    missing_patches: dict[str, int] = Field(default_factory=dict)
    scanned_days_ago: int = 1


class StackSpec(SectionModel):
    region: str
    name: str
    disable_rollback: bool = False
    drift: Literal["DRIFTED", "IN_SYNC"] | None = None
    drift_checked_days_ago: int = 1


class RunbookSpec(SectionModel):
    region: str
    name: str


class ServerlessSection(SectionModel):
    functions: tuple[FunctionSpec, ...] = ()
    apis: tuple[ApiSpec, ...] = ()
    fleets: tuple[FleetSpec, ...] = ()
    stacks: tuple[StackSpec, ...] = ()
    runbooks: tuple[RunbookSpec, ...] = ()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def _queue_arn(env: SeedEnv, region: str, name: str) -> str:
    sqs = env.client("sqs", region)
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn: str = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return arn


def _log_group_arn(env: SeedEnv, region: str, name: str) -> str:
    logs = env.client("logs", region)
    logs.create_log_group(logGroupName=name)
    logs.put_retention_policy(logGroupName=name, retentionInDays=LOG_RETENTION_DAYS)
    return f"arn:aws:logs:{region}:{env.account_id}:log-group:{name}"


def _seed_function(spec: FunctionSpec, env: SeedEnv, role_arn: str) -> None:
    client = env.client("lambda", spec.region)
    extra: dict[str, Any] = {}
    if spec.dead_letter_queue:
        extra["DeadLetterConfig"] = {"TargetArn": _queue_arn(env, spec.region, f"{spec.name}-dlq")}
    client.create_function(
        FunctionName=spec.name,
        Runtime=spec.runtime,
        Role=role_arn,
        Handler="handler.handler",
        Code={"ZipFile": _zip()},
        Architectures=[spec.architecture],
        TracingConfig={"Mode": "Active" if spec.tracing else "PassThrough"},
        Environment={"Variables": spec.environment},
        **extra,
    )
    if spec.on_failure_queue:
        client.put_function_event_invoke_config(
            FunctionName=spec.name,
            DestinationConfig={
                "OnFailure": {"Destination": _queue_arn(env, spec.region, f"{spec.name}-failed")}
            },
        )


def _seed_rest_api(spec: ApiSpec, env: SeedEnv) -> None:
    client = env.client("apigateway", spec.region)
    api_id = client.create_rest_api(name=spec.name)["id"]
    root = client.get_resources(restApiId=api_id)["items"][0]["id"]
    client.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    client.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
    client.create_deployment(restApiId=api_id, stageName=spec.stage)
    patches = [{"op": "replace", "path": "/tracingEnabled", "value": str(spec.tracing).lower()}]
    if spec.access_logs:
        arn = _log_group_arn(env, spec.region, f"/aws/apigateway/{spec.name}-access")
        patches.append({"op": "replace", "path": "/accessLogSettings/destinationArn", "value": arn})
    if spec.execution_logging != "OFF":
        patches.append(
            {"op": "replace", "path": "/*/*/logging/loglevel", "value": spec.execution_logging}
        )
    if spec.throttle_rate is not None:
        patches.append(
            {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": str(spec.throttle_rate)}
        )
    client.update_stage(restApiId=api_id, stageName=spec.stage, patchOperations=patches)
    if spec.usage_plan_rate is not None:
        client.create_usage_plan(
            name=f"{spec.name}-plan",
            apiStages=[{"apiId": api_id, "stage": spec.stage}],
            throttle={
                "rateLimit": spec.usage_plan_rate,
                "burstLimit": int(spec.usage_plan_rate * 2),
            },
        )


def _seed_http_api(spec: ApiSpec, env: SeedEnv) -> None:
    client = env.client("apigatewayv2", spec.region)
    api_id = client.create_api(Name=spec.name, ProtocolType="HTTP")["ApiId"]
    stage: dict[str, Any] = {"ApiId": api_id, "StageName": spec.stage, "AutoDeploy": True}
    if spec.access_logs:
        arn = _log_group_arn(env, spec.region, f"/aws/apigateway/{spec.name}-access")
        stage["AccessLogSettings"] = {"DestinationArn": arn, "Format": "$context.requestId"}
    if spec.throttle_rate is not None:
        stage["DefaultRouteSettings"] = {
            "ThrottlingRateLimit": spec.throttle_rate,
            "ThrottlingBurstLimit": int(spec.throttle_rate * 2),
        }
    client.create_stage(**stage)


def _running_instances(env: SeedEnv, region: str) -> dict[str, str]:
    """Instance id → its Name tag (or its auto scaling group's name), for running instances."""
    found = {}
    pages = (
        env.client("ec2", region)
        .get_paginator("describe_instances")
        .paginate(Filters=[{"Name": "instance-state-name", "Values": ["running"]}])
    )
    for page in pages:
        for reservation in page["Reservations"]:
            for instance in reservation["Instances"]:
                tags = {t["Key"]: t["Value"] for t in instance.get("Tags", [])}
                name = tags.get("Name") or tags.get("aws:autoscaling:groupName", "")
                found[instance["InstanceId"]] = name
    return found


def _seed_fleet(spec: FleetSpec, env: SeedEnv) -> None:
    nodes = managed_nodes(env.state, env.account_id, spec.region)
    scanned = env.now - timedelta(days=spec.scanned_days_ago)
    for instance_id, name in _running_instances(env, spec.region).items():
        if name in spec.unmanaged:
            continue
        patch = None
        if name not in spec.never_scanned:
            patch = PatchState(
                baseline_id=PATCH_BASELINE.format(region=spec.region),
                operation="Scan",
                operation_end=scanned,
                missing=spec.missing_patches.get(name, 0),
                installed=42,
            )
        lost = name in spec.connection_lost
        nodes[instance_id] = ManagedNode(
            instance_id=instance_id,
            ping_status="ConnectionLost" if lost else "Online",
            last_ping=env.now - timedelta(days=9 if lost else 0, minutes=5),
            patch_state=patch,
        )


def _seed_stack(spec: StackSpec, env: SeedEnv) -> None:
    template = {
        "Resources": {
            "Setting": {
                "Type": "AWS::SSM::Parameter",
                "Properties": {"Name": f"/{spec.name}/version", "Type": "String", "Value": "1"},
            }
        }
    }
    stack_id = env.client("cloudformation", spec.region).create_stack(
        StackName=spec.name,
        TemplateBody=json.dumps(template),
        DisableRollback=spec.disable_rollback,
    )["StackId"]
    if spec.drift is not None:
        checked = env.now - timedelta(days=spec.drift_checked_days_ago)
        record_drift(env.account_id, spec.region, stack_id, spec.drift, checked)


def _seed_runbook(spec: RunbookSpec, env: SeedEnv) -> None:
    content = {
        "schemaVersion": "0.3",
        "description": "Restart the API service on an instance.",
        "parameters": {"InstanceId": {"type": "String"}},
        "mainSteps": [
            {
                "name": "restart",
                "action": "aws:runCommand",
                "inputs": {
                    "DocumentName": "AWS-RunShellScript",
                    "InstanceIds": ["{{ InstanceId }}"],
                    "Parameters": {"commands": ["systemctl restart mublog-api"]},
                },
            }
        ],
    }
    env.client("ssm", spec.region).create_document(
        Name=spec.name, Content=json.dumps(content), DocumentType="Automation"
    )


def _lambda_role(env: SeedEnv) -> str:
    iam = env.client("iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    arn: str = iam.create_role(RoleName=LAMBDA_ROLE, AssumeRolePolicyDocument=json.dumps(trust))[
        "Role"
    ]["Arn"]
    return arn


def seed_serverless(section: ServerlessSection, env: SeedEnv) -> None:
    if section.functions:
        role_arn = _lambda_role(env)
        for function in section.functions:
            _seed_function(function, env, role_arn)
    for api in section.apis:
        (_seed_rest_api if api.protocol == "REST" else _seed_http_api)(api, env)
    for fleet in section.fleets:
        _seed_fleet(fleet, env)
    for stack in section.stacks:
        _seed_stack(stack, env)
    for runbook in section.runbooks:
        _seed_runbook(runbook, env)


SEEDER = Seeder("serverless", ServerlessSection, seed_serverless)
