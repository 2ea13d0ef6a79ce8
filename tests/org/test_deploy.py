"""The Step Functions fan-out shipped in deploy/aws: a valid definition whose container commands
the real CLI accepts, and the container wrapper's S3 copy and exit status (moto in-process)."""

from __future__ import annotations

import importlib.util
import json

import boto3
import pytest
from moto import mock_aws

from tests.org.asl import (
    DEFINITION,
    DEPLOY,
    ECS_RUN_TASK,
    choose,
    container,
    machines,
    resolve,
    states,
)
from wa_audit.cli import cli
from wa_audit.org.listing import ListedAccount

ITEM = {
    "account_id": "210987654321",
    "state": "ACTIVE",
    "own_account": False,
    "role_arn": "arn:aws-cn:iam::210987654321:role/Auditor",
}
INPUT = {
    "ResultsBucket": "results",
    "Cluster": "audits",
    "TaskDefinition": "wa-audit:1",
    "Subnets": ["subnet-1"],
    "SecurityGroups": ["sg-1"],
    "RoleName": "Auditor",
}
CONTEXT = {"Execution": {"Name": "run-1"}}
TERMINAL = {"Succeed", "Fail"}


def test_every_transition_names_a_state_and_every_state_is_reachable():
    for machine in machines(DEFINITION):
        named = states(machine)
        assert machine["StartAt"] in named
        reached, pending = set(), [machine["StartAt"]]
        while pending:
            name = pending.pop()
            if name in reached:
                continue
            reached.add(name)
            state = named[name]
            if state["Type"] == "Choice":
                targets = [rule["Next"] for rule in state["Choices"]] + [state["Default"]]
            elif state["Type"] in TERMINAL:
                assert "Next" not in state, name
                assert "End" not in state, name
                targets = []
            else:
                assert ("Next" in state) != bool(state.get("End")), name
                targets = [state["Next"]] if "Next" in state else []
            assert set(targets) <= set(named), name
            pending += targets
        assert reached == set(named)


def test_the_definition_parses_as_amazon_states_language():
    """moto's copy of LocalStack's ASL grammar refuses unknown fields and misspelled
    intrinsics. Its lexer reads an integer ToleratedFailurePercentage as INT where the grammar
    wants NUMBER (a parser quirk; AWS's own examples use integers), so 100 is given as 100.0."""
    from moto.stepfunctions.parser.asl.parse.asl_parser import (
        AmazonStateLanguageParser,
        ASLParserException,
    )

    text = json.dumps(DEFINITION).replace(
        '"ToleratedFailurePercentage": 100,', '"ToleratedFailurePercentage": 100.0,'
    )
    assert '"ToleratedFailurePercentage": 100.0,' in text
    AmazonStateLanguageParser.parse(text)  # the item processor with it
    broken = text.replace('"Type": "Choice"', '"Type": "Choice", "Defualt": "x"')
    with pytest.raises(ASLParserException):
        AmazonStateLanguageParser.parse(broken)


def test_accounts_fan_out_in_a_distributed_map_read_from_s3():
    audit = states(DEFINITION)["AuditAccounts"]
    assert audit["Type"] == "Map"
    assert audit["ItemProcessor"]["ProcessorConfig"]["Mode"] == "DISTRIBUTED"
    assert audit["ItemReader"]["Resource"] == "arn:aws:states:::s3:getObject"
    assert audit["ItemReader"]["ReaderConfig"]["InputType"] == "JSON"
    assert 0 < audit["MaxConcurrency"] <= 1000
    # Each item's fields are those `wa-audit accounts` writes.
    read = {
        value.removeprefix("$$.Map.Item.Value.")
        for value in audit["ItemSelector"].values()
        if value.startswith("$$.Map.Item.Value.")
    }
    assert read == {"account_id", "state", "own_account", "role_arn"}
    assert read <= set(ListedAccount.model_fields)


def _commands(item: dict[str, object]) -> dict[str, list[str]]:
    """Every ECS task's command, an item processor's for ``item``."""
    selector = states(DEFINITION)["AuditAccounts"]["ItemSelector"]
    context = {**CONTEXT, "Map": {"Item": {"Value": item}}}
    selected = resolve(selector, INPUT, context)
    found = {}
    for machine in machines(DEFINITION):
        data = selected if machine is not DEFINITION else INPUT
        for name, state in states(machine).items():
            if state.get("Resource") == ECS_RUN_TASK:
                override = container(state, data, context)
                assert override["Name"] == "wa-audit"
                found[name] = override["Command"]
    return found


@pytest.mark.parametrize(
    ("item", "next_state"),
    [
        (ITEM, "AuditMemberAccount"),
        ({**ITEM, "own_account": True, "role_arn": None}, "AuditOwnAccount"),
        ({**ITEM, "state": "SUSPENDED"}, "NotAuditable"),
        ({**ITEM, "state": "SUSPENDED", "own_account": True}, "NotAuditable"),
    ],
)
def test_each_account_is_audited_as_its_row_says(item, next_state):
    processor = states(DEFINITION)["AuditAccounts"]["ItemProcessor"]
    first = states(processor)[processor["StartAt"]]
    assert choose(first, item) == next_state


def test_container_commands_are_accepted_by_the_cli():
    commands = _commands(ITEM)
    assert set(commands) == {"ListAccounts", "AuditOwnAccount", "AuditMemberAccount", "Merge"}
    assert commands["ListAccounts"][:3] == ["accounts", "--role-name", "Auditor"]
    # The role ARN is the row's, in the partition `accounts` found: nothing hard-codes arn:aws:.
    assert commands["AuditMemberAccount"][:3] == ["run", "--role-arn", ITEM["role_arn"]]
    assert "--role-arn" not in commands["AuditOwnAccount"]
    assert "--accounts" in commands["Merge"]
    for name, *rest in commands.values():
        context = cli.make_context("wa-audit", [name])
        command = cli.get_command(context, name)
        assert command is not None, name
        command.make_context(name, rest, parent=context)  # raises on an unknown option


def test_dockerfile_runs_the_wrapper_that_ships():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "COPY deploy/aws/entrypoint.py /usr/local/bin/wa-audit-task" in dockerfile
    assert 'ENTRYPOINT ["python", "/usr/local/bin/wa-audit-task"]' in dockerfile
    assert (DEPLOY / "entrypoint.py").is_file()


@pytest.fixture
def wrapper(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("wa_audit_task", DEPLOY / "entrypoint.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "RESULTS_DIR", tmp_path / "results")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return module


@pytest.mark.parametrize(("code", "status"), [(0, 0), (1, 0), (3, 0), (2, 2), (4, 4)])
def test_findings_are_results_not_task_failures(wrapper, code, status):
    assert wrapper.task_status(code) == status


def test_merge_task_fetches_inputs_and_uploads_only_what_it_wrote(wrapper, monkeypatch):
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="results")
        s3.put_object(Bucket="results", Key="run-1/accounts/210987654321/results.json", Body=b"{}")

        def fake_cli(args):
            assert args[:1] == ["wa-audit"]
            fetched = wrapper.RESULTS_DIR / "accounts" / "210987654321" / "results.json"
            assert fetched.read_bytes() == b"{}"
            (wrapper.RESULTS_DIR / "organization.json").write_text("{}")
            return 1

        monkeypatch.setattr(wrapper.subprocess, "call", fake_cli)
        monkeypatch.setenv("INPUT_S3_URI", "s3://results/run-1")
        monkeypatch.setenv("RESULTS_S3_URI", "s3://results/run-1")
        puts = []
        real_upload = wrapper.upload

        def counted(source, uri, unchanged=None):
            count = real_upload(source, uri, unchanged)
            puts.append(count)
            return count

        monkeypatch.setattr(wrapper, "upload", counted)
        assert wrapper.main(["merge", "/tmp/results/accounts"]) == 0
        keys = {o["Key"] for o in s3.list_objects_v2(Bucket="results")["Contents"]}
        assert keys == {"run-1/accounts/210987654321/results.json", "run-1/organization.json"}
        assert puts == [1]


def _readme_json_blocks() -> list[dict[str, object]]:
    readme = (DEPLOY.parents[1] / "README.md").read_text()
    section = readme.split("### Past one machine", 1)[1].split("\n## ", 1)[0]
    return [json.loads(block.split("```", 1)[0]) for block in section.split("```json\n")[1:]]


def test_the_readme_task_definition_and_state_machine_role_fit_the_definition():
    task_definition, role_policy = _readme_json_blocks()
    [container_definition] = task_definition["containerDefinitions"]
    assert container_definition["name"] == "wa-audit"  # the name the overrides address
    assert {o["Name"] for o in _overrides()} == {"wa-audit"}
    assert task_definition["requiresCompatibilities"] == ["FARGATE"]
    assert task_definition["networkMode"] == "awsvpc"  # Fargate's only mode
    granted = {
        action
        for statement in role_policy["Statement"]
        for action in (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
    }
    # ecs:runTask.sync, a JSON ItemReader from S3 and a Distributed Map's child executions.
    assert {
        "ecs:RunTask",
        "ecs:StopTask",
        "ecs:DescribeTasks",
        "iam:PassRole",
        "events:PutTargets",
        "events:PutRule",
        "events:DescribeRule",
        "s3:GetObject",
        "states:StartExecution",
        "states:DescribeExecution",
        "states:StopExecution",
    } <= granted
    resources = {
        statement["Action"]: statement["Resource"]
        for statement in role_policy["Statement"]
        if isinstance(statement["Action"], str)
    }
    assert resources["ecs:RunTask"].endswith(":task-definition/wa-audit:*")
    assert resources["states:StartExecution"].endswith(":stateMachine:wa-audit")


def _overrides() -> list[dict[str, object]]:
    return [
        override
        for machine in machines(DEFINITION)
        for state in states(machine).values()
        if state.get("Resource") == ECS_RUN_TASK
        for override in state["Parameters"]["Overrides"]["ContainerOverrides"]
    ]
