"""The Step Functions fan-out shipped in deploy/aws: a valid definition whose container commands
the real CLI accepts, and the container wrapper's S3 copy and exit status (moto in-process)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from wa_audit.cli import cli

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "aws"
DEFINITION = json.loads((DEPLOY / "state-machine.asl.json").read_text())
ITEM = {"account_id": "210987654321", "RoleName": "OrganizationAccountAccessRole"}


def _states(machine: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return machine["States"]


def _machines(machine: dict[str, Any]) -> list[dict[str, Any]]:
    found = [machine]
    for state in _states(machine).values():
        if "ItemProcessor" in state:
            found += _machines(state["ItemProcessor"])
    return found


def test_every_transition_names_a_state_and_every_path_ends():
    for machine in _machines(DEFINITION):
        states = _states(machine)
        assert machine["StartAt"] in states
        for name, state in states.items():
            assert ("Next" in state) != bool(state.get("End")), name
            if "Next" in state:
                assert state["Next"] in states, name


def test_accounts_fan_out_in_a_distributed_map_read_from_s3():
    audit = _states(DEFINITION)["AuditAccounts"]
    assert audit["Type"] == "Map"
    assert audit["ItemProcessor"]["ProcessorConfig"]["Mode"] == "DISTRIBUTED"
    assert audit["ItemReader"]["Resource"] == "arn:aws:states:::s3:getObject"
    assert audit["ItemReader"]["ReaderConfig"]["InputType"] == "JSON"
    assert 0 < audit["MaxConcurrency"] <= 1000


_TOKEN = re.compile(r"\s*(States\.\w+\(|'((?:[^'\\]|\\.)*)'|\$\.(\w+)|\)|,)")


def _evaluate(expression: str, item: dict[str, str]) -> Any:
    """A small evaluator for the intrinsics the definition uses (States.Array, States.Format)."""
    tokens = [m for m in _TOKEN.finditer(expression)]
    position = 0

    def value() -> Any:
        nonlocal position
        token = tokens[position]
        position += 1
        if token.group(2) is not None:
            return token.group(2)
        if token.group(3) is not None:
            return item[token.group(3)]
        function = token.group(1)[:-1]
        args = []
        while tokens[position].group(1) != ")":
            args.append(value())
            if tokens[position].group(1) == ",":
                position += 1
        position += 1
        if function == "States.Array":
            return args
        if function == "States.Format":
            template, *rest = args
            return template.replace("{}", "%s") % tuple(rest)
        raise AssertionError(f"unknown intrinsic {function}")

    return value()


def _commands() -> dict[str, list[str]]:
    found = {}
    for machine in _machines(DEFINITION):
        for name, state in _states(machine).items():
            if state.get("Resource") != "arn:aws:states:::ecs:runTask.sync":
                continue
            [container] = state["Parameters"]["Overrides"]["ContainerOverrides"]
            assert container["Name"] == "wa-audit"
            if "Command.$" in container:
                found[name] = _evaluate(container["Command.$"], ITEM)
            else:
                found[name] = container["Command"]
    return found


def test_container_commands_are_accepted_by_the_cli():
    commands = _commands()
    assert set(commands) == {"ListAccounts", "AuditAccount", "Merge"}
    assert commands["AuditAccount"][:3] == [
        "run",
        "--role-arn",
        "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole",
    ]
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
