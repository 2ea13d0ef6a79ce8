"""Every IAM action ``wa-audit policy`` prints is a real action of its service, in every policy
it prints: the default, ``--quota-requests``, ``--wa-tool``, and both of ``--org``'s.

A misspelt action in a fact's ``permissions`` is silently useless in a policy: IAM accepts it, grants
nothing, and the check reports ERROR on every account that attached the policy. The service's actions
are derived from botocore's models: the operations of every service whose IAM prefix (its signing
name, else its endpoint prefix) is the action's prefix. A few actions are not named after their
operation; each is listed with the AWS page that names it.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import TextIO

import botocore
import pytest
from click.testing import CliRunner

from wa_audit.call_guard import iam_prefix
from wa_audit.cli import cli

ACTIONS_NOT_NAMED_AFTER_AN_OPERATION = {
    # ListBuckets needs s3:ListAllMyBuckets.
    # https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html (Permissions)
    "s3:ListAllMyBuckets": "s3:ListBuckets",
    # GetBucketLifecycleConfiguration needs s3:GetLifecycleConfiguration.
    # https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLifecycleConfiguration.html
    "s3:GetLifecycleConfiguration": "s3:GetBucketLifecycleConfiguration",
    # S3 Control's GetPublicAccessBlock (account level) needs s3:GetAccountPublicAccessBlock.
    # https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetPublicAccessBlock.html
    "s3:GetAccountPublicAccessBlock": "s3:GetPublicAccessBlock",
    # S3's GetPublicAccessBlock (bucket level) needs s3:GetBucketPublicAccessBlock.
    # https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetPublicAccessBlock.html
    "s3:GetBucketPublicAccessBlock": "s3:GetPublicAccessBlock",
    # DescribeBudgets needs budgets:ViewBudget (the Budgets actions are not API names).
    # https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbudgetservice.html
    "budgets:ViewBudget": "budgets:DescribeBudgets",
    # API Gateway's management actions are HTTP verbs on resource paths: every read (GetRestApis,
    # GetStages, GetUsagePlans; v2 GetApis, GetStages) needs apigateway:GET.
    # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagement.html
    "apigateway:GET": "apigateway:GetRestApis",
}
"""IAM action -> the botocore operation it authorizes (which must exist, so the entry stays true)."""

_FIELD = r'"{}"\s*:\s*"([^"]+)"'


def _open(model: Path) -> TextIO:
    if model.suffix == ".gz":
        return gzip.open(model, "rt", encoding="utf-8")
    return model.open(encoding="utf-8")


def _metadata_text(model: Path) -> str:
    """The model's text up to its operations: its metadata, without parsing megabytes of shapes."""
    with _open(model) as handle:
        head = handle.read(8192)
        if '"operations"' not in head:
            head += handle.read()
    return head.split('"operations"', 1)[0]


@cache
def models_by_prefix() -> dict[str, tuple[Path, ...]]:
    """IAM prefix -> the models (every API version of every service) that botocore signs with it."""
    found: defaultdict[str, list[Path]] = defaultdict(list)
    for model in sorted((Path(botocore.__file__).parent / "data").glob("*/*/service-2.json*")):
        metadata = _metadata_text(model)
        signing = re.search(_FIELD.format("signingName"), metadata)
        endpoint = re.search(_FIELD.format("endpointPrefix"), metadata)
        assert endpoint is not None, model
        found[iam_prefix(signing.group(1) if signing else endpoint.group(1))].append(model)
    return {prefix: tuple(models) for prefix, models in found.items()}


@cache
def operations(prefix: str) -> frozenset[str]:
    names: set[str] = set()
    for model in models_by_prefix().get(prefix, ()):
        with _open(model) as handle:
            names |= set(json.load(handle)["operations"])
    return frozenset(names)


def is_operation(action: str) -> bool:
    prefix, _, name = action.partition(":")
    return name in operations(prefix)


POLICIES = {
    # case: (the command's flags, the document's key in its output (None: the output is one))
    "default": ((), None),
    "--quota-requests": (("--quota-requests",), None),
    "--wa-tool": (("--wa-tool",), None),
    "--org member role": (("--org",), "member_role"),
    "--org management account": (("--org",), "management_account"),
}

MARKS = {
    # An action only that policy prints: the case reads the document the flag adds to.
    "--quota-requests": "servicequotas:RequestServiceQuotaIncrease",
    "--wa-tool": "wellarchitected:UpdateAnswer",
    "--org management account": "organizations:ListRoots",
}


@cache
def printed_actions(case: str) -> frozenset[str]:
    """Every action ``wa-audit policy`` prints for ``case``, over all checks."""
    flags, key = POLICIES[case]
    result = CliRunner().invoke(cli, ["policy", *flags], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    if key is not None:
        document = document[key]
    actions: set[str] = set()
    for statement in document["Statement"]:
        listed = statement["Action"]
        actions |= {listed} if isinstance(listed, str) else set(listed)
    return frozenset(actions)


@pytest.mark.parametrize("case", POLICIES)
def test_every_printed_action_is_an_action_of_its_service(case):
    actions = printed_actions(case)
    assert len(actions) > 40  # the whole policy, not an empty one
    mark = MARKS.get(case)
    assert mark is None or mark in actions
    assert all(mark not in actions for other, mark in MARKS.items() if other != case)
    unknown = [
        action
        for action in sorted(actions)
        if not is_operation(action) and action not in ACTIONS_NOT_NAMED_AFTER_AN_OPERATION
    ]
    assert unknown == []


def test_each_exception_names_a_real_operation_and_is_still_needed():
    for action, operation in ACTIONS_NOT_NAMED_AFTER_AN_OPERATION.items():
        assert is_operation(operation), operation
        assert not is_operation(action), f"{action} is an operation now: drop the exception"
    printed = frozenset().union(*(printed_actions(case) for case in POLICIES))
    assert set(ACTIONS_NOT_NAMED_AFTER_AN_OPERATION) <= printed


def test_a_misspelt_action_is_caught():
    assert is_operation("iam:GetAccountSummary")
    assert is_operation(
        "cloudwatch:GetMetricData"
    )  # signing name monitoring, IAM prefix cloudwatch
    assert not is_operation("iam:GetAccountSumary")
    assert not is_operation("ec2:ListInstances")
