"""The sandbox's Well-Architected Tool (moto has none): botocore's shapes, AWS's errors, the WA
Tool's question risk computed from the selected choices."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import capture_wire, response_problems, wire_problems
from wa_audit.framework import load_framework

LENS = "wellarchitected"
SERVICE = "wellarchitected"


def _create(client, name="shop", **overrides):
    params = {
        "WorkloadName": name,
        "Description": "the shop",
        "Environment": "PRODUCTION",
        "AwsRegions": ["us-east-1"],
        "ReviewOwner": "arn:aws:iam::123456789012:user/alice",
        "Lenses": [LENS],
        **overrides,
    }
    return client.create_workload(**params)


def _error(raised) -> tuple[str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def wa(sandbox):
    return sandbox.client(SERVICE)


def _question(label: str):
    return next(q for q in load_framework().questions if q.label == label)


def test_every_answer_has_aws_shapes_on_the_wire_and_parsed(wa):
    with capture_wire(wa) as wire:
        created = _create(wa)
        workload = created["WorkloadId"]
        listed = wa.list_workloads()
        answer = wa.get_answer(WorkloadId=workload, LensAlias=LENS, QuestionId="securely-operate")
        updated = wa.update_answer(
            WorkloadId=workload,
            LensAlias=LENS,
            QuestionId="securely-operate",
            SelectedChoices=["sec_securely_operate_multi_accounts"],
            ChoiceUpdates={
                "sec_securely_operate_aws_account": {
                    "Status": "NOT_APPLICABLE",
                    "Reason": "OTHER",
                    "Notes": "n",
                }
            },
            Notes="evidence",
        )
        summaries = wa.list_answers(WorkloadId=workload, LensAlias=LENS)
        milestone = wa.create_milestone(
            WorkloadId=workload, MilestoneName="first", ClientRequestToken="t1"
        )
        review = wa.get_lens_review(WorkloadId=workload, LensAlias=LENS)
        described = wa.get_workload(WorkloadId=workload)
        milestones = wa.list_milestones(WorkloadId=workload)
        deleted = wa.delete_workload(WorkloadId=workload, ClientRequestToken="t2")
    parsed = {
        "CreateWorkload": created,
        "ListWorkloads": listed,
        "GetWorkload": described,
        "ListMilestones": milestones,
        "DeleteWorkload": deleted,
        "GetAnswer": answer,
        "UpdateAnswer": updated,
        "ListAnswers": summaries,
        "CreateMilestone": milestone,
        "GetLensReview": review,
    }
    for operation, response in parsed.items():
        assert response_problems(SERVICE, operation, response) == [], operation
        assert wire_problems(SERVICE, operation, wire[operation]) == [], operation
    assert len(workload) == 32
    assert (
        created["WorkloadArn"]
        == f"arn:aws:wellarchitected:us-east-1:123456789012:workload/{workload}"
    )
    choices = answer["Answer"]["Choices"]
    assert [c["ChoiceId"] for c in choices[:-1]] == [
        bp.choice_id for bp in _question("SEC 1").best_practices
    ]
    assert choices[-1]["Title"] == "None of these"
    assert updated["Answer"]["SelectedChoices"] == ["sec_securely_operate_multi_accounts"]
    assert {
        "ChoiceId": "sec_securely_operate_aws_account",
        "Status": "NOT_APPLICABLE",
        "Reason": "OTHER",
        "Notes": "n",
    } in updated["Answer"]["ChoiceAnswers"]
    assert updated["Answer"]["Notes"] == "evidence"
    assert review["LensReview"]["RiskCounts"] == {
        "UNANSWERED": 56,
        "HIGH": 1,
        "MEDIUM": 0,
        "NONE": 0,
        "NOT_APPLICABLE": 0,
    }
    assert described["Workload"]["AwsRegions"] == ["us-east-1"]
    assert described["Workload"]["ReviewOwner"] == "arn:aws:iam::123456789012:user/alice"
    assert described["Workload"]["RiskCounts"] == review["LensReview"]["RiskCounts"]
    [summary] = milestones["MilestoneSummaries"]
    assert (summary["MilestoneNumber"], summary["MilestoneName"]) == (1, "first")
    assert summary["WorkloadSummary"]["WorkloadId"] == workload


def test_list_workloads_pages_and_filters_by_prefix(wa):
    for name in ("shop-a", "shop-b", "shop-c", "blog"):
        _create(wa, name)
    first = wa.list_workloads(WorkloadNamePrefix="shop", MaxResults=2)
    second = wa.list_workloads(
        WorkloadNamePrefix="shop", MaxResults=2, NextToken=first["NextToken"]
    )
    names = [w["WorkloadName"] for w in first["WorkloadSummaries"] + second["WorkloadSummaries"]]
    assert sorted(names) == ["shop-a", "shop-b", "shop-c"]
    assert "NextToken" not in second


def test_list_answers_pages_through_57_questions_and_filters_by_pillar(wa):
    workload = _create(wa)["WorkloadId"]
    first = wa.list_answers(WorkloadId=workload, LensAlias=LENS)  # botocore has no paginator
    second = wa.list_answers(WorkloadId=workload, LensAlias=LENS, NextToken=first["NextToken"])
    assert (len(first["AnswerSummaries"]), len(second["AnswerSummaries"])) == (50, 7)
    assert "NextToken" not in second
    security = wa.list_answers(WorkloadId=workload, LensAlias=LENS, PillarId="security")
    assert len(security["AnswerSummaries"]) == 11
    assert {a["Risk"] for a in security["AnswerSummaries"]} == {"UNANSWERED"}


def test_duplicate_name_is_a_conflict_ignoring_spaces_and_case(wa):
    created = _create(wa, "Shop Prod")
    with pytest.raises(wa.exceptions.ConflictException) as raised:
        _create(wa, "shopprod")
    assert _error(raised) == ("ConflictException", 409)
    assert raised.value.response["ResourceId"] == created["WorkloadId"]


def test_client_request_token_makes_creation_idempotent(wa):
    first = _create(wa, ClientRequestToken="same")
    again = _create(wa, ClientRequestToken="same")
    assert (again["WorkloadId"], again["WorkloadArn"]) == (
        first["WorkloadId"],
        first["WorkloadArn"],
    )
    assert len(wa.list_workloads()["WorkloadSummaries"]) == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"ReviewOwner": ""},
        {"AwsRegions": []},
        {"Lenses": ["serverless-made-up"]},
        {"Environment": "STAGING"},
    ],
)
def test_invalid_workloads_are_validation_errors(wa, overrides):
    params = {k: v for k, v in overrides.items() if v != ""}
    if overrides.get("ReviewOwner") == "":
        with pytest.raises(ClientError) as raised:
            wa.create_workload(
                WorkloadName="shop",
                Description="the shop",
                Environment="PRODUCTION",
                AwsRegions=["us-east-1"],
                Lenses=[LENS],
            )
    else:
        with pytest.raises(ClientError) as raised:
            _create(wa, **params)
    assert _error(raised) == ("ValidationException", 400)


def test_unknown_choice_and_long_notes_are_validation_errors(wa):
    workload = _create(wa)["WorkloadId"]
    key = {"WorkloadId": workload, "LensAlias": LENS, "QuestionId": "securely-operate"}
    with pytest.raises(ClientError) as raised:
        wa.update_answer(**key, SelectedChoices=["sec_made_up"])
    assert _error(raised) == ("ValidationException", 400)
    with pytest.raises(ClientError) as raised:
        wa.update_answer(**key, Notes="x" * 2085)
    assert _error(raised) == ("ValidationException", 400)
    wa.update_answer(**key, Notes="x" * 2084)


@pytest.mark.parametrize(
    ("workload_id", "question", "code"),
    [
        ("0" * 32, "securely-operate", "ResourceNotFoundException"),
        (None, "not-a-question", "ResourceNotFoundException"),
    ],
)
def test_unknown_workload_or_question_is_not_found(wa, workload_id, question, code):
    real = _create(wa)["WorkloadId"]
    with pytest.raises(ClientError) as raised:
        wa.get_answer(WorkloadId=workload_id or real, LensAlias=LENS, QuestionId=question)
    assert _error(raised) == (code, 404)
    assert raised.value.response["ResourceType"]


def _risk_after(wa, workload, question, **changes):
    return wa.update_answer(WorkloadId=workload, LensAlias=LENS, QuestionId=question.id, **changes)[
        "Answer"
    ]["Risk"]


def test_question_risk_follows_the_missing_best_practices(wa):
    """SEC 3: high, medium and low best practices; "None of these" means all missing."""
    workload = _create(wa)["WorkloadId"]
    question = _question("SEC 3")
    by_risk = {
        r: [bp.choice_id for bp in question.best_practices if bp.risk.value == r]
        for r in ("high", "medium", "low")
    }
    assert all(by_risk.values())
    assert (
        _risk_after(wa, workload, question, SelectedChoices=by_risk["high"] + by_risk["medium"])
        == "NONE"
    )
    assert _risk_after(wa, workload, question, SelectedChoices=by_risk["high"]) == "MEDIUM"
    assert (
        _risk_after(wa, workload, question, SelectedChoices=by_risk["medium"] + by_risk["low"])
        == "HIGH"
    )
    na = {c: {"Status": "NOT_APPLICABLE"} for c in by_risk["medium"]}
    assert (
        _risk_after(wa, workload, question, SelectedChoices=by_risk["high"], ChoiceUpdates=na)
        == "NONE"
    )
    answer = wa.get_answer(WorkloadId=workload, LensAlias=LENS, QuestionId=question.id)["Answer"]
    none = answer["Choices"][-1]["ChoiceId"]
    assert _risk_after(wa, workload, question, SelectedChoices=[none]) == "HIGH"
    assert (
        _risk_after(wa, workload, question, IsApplicable=False, Reason="OUT_OF_SCOPE")
        == "NOT_APPLICABLE"
    )


def test_milestones_keep_the_answers_of_their_time(wa):
    workload = _create(wa)["WorkloadId"]
    key = {"WorkloadId": workload, "LensAlias": LENS, "QuestionId": "securely-operate"}
    wa.update_answer(**key, SelectedChoices=["sec_securely_operate_multi_accounts"])
    assert (
        wa.create_milestone(WorkloadId=workload, MilestoneName="one", ClientRequestToken="a")[
            "MilestoneNumber"
        ]
        == 1
    )
    wa.update_answer(**key, SelectedChoices=[])
    assert wa.get_answer(**key, MilestoneNumber=1)["Answer"]["SelectedChoices"] == [
        "sec_securely_operate_multi_accounts"
    ]
    assert wa.get_answer(**key)["Answer"]["SelectedChoices"] == []
    with pytest.raises(wa.exceptions.ConflictException):
        wa.create_milestone(WorkloadId=workload, MilestoneName="one", ClientRequestToken="b")
    with pytest.raises(wa.exceptions.ResourceNotFoundException):
        wa.get_lens_review(WorkloadId=workload, LensAlias=LENS, MilestoneNumber=2)


def test_deleted_workload_is_gone_and_unknown_ones_are_not_found(wa):
    workload = _create(wa, "shop")["WorkloadId"]
    _create(wa, "blog")
    wa.delete_workload(WorkloadId=workload, ClientRequestToken="t")
    assert [w["WorkloadName"] for w in wa.list_workloads()["WorkloadSummaries"]] == ["blog"]
    for call in (
        lambda: wa.get_workload(WorkloadId=workload),
        lambda: wa.list_milestones(WorkloadId=workload),
        lambda: wa.delete_workload(WorkloadId=workload, ClientRequestToken="u"),
    ):
        with pytest.raises(wa.exceptions.ResourceNotFoundException) as raised:
            call()
        assert _error(raised) == ("ResourceNotFoundException", 404)
    _create(wa, "shop")  # the name is free again


def test_list_milestones_pages_oldest_first(wa):
    workload = _create(wa)["WorkloadId"]
    for name in ("one", "two", "three"):
        wa.create_milestone(WorkloadId=workload, MilestoneName=name, ClientRequestToken=name)
    first = wa.list_milestones(WorkloadId=workload, MaxResults=2)
    second = wa.list_milestones(WorkloadId=workload, MaxResults=2, NextToken=first["NextToken"])
    listed = first["MilestoneSummaries"] + second["MilestoneSummaries"]
    assert [(m["MilestoneNumber"], m["MilestoneName"]) for m in listed] == [
        (1, "one"),
        (2, "two"),
        (3, "three"),
    ]
    assert "NextToken" not in second
    with pytest.raises(ClientError) as raised:
        wa.list_milestones(WorkloadId=workload, MaxResults=51)
    assert _error(raised) == ("ValidationException", 400)


@pytest.mark.parametrize(
    ("question_id", "none_choice"),
    [
        # AWS's ids (WA Tool GetAnswer, lens 2024-06-27), which no rule on the other choice ids
        # gives: the longest shared prefix would say cost_evaluate_new_services_review_no, ...
        ("evaluate-new-services", "cost_evaluate_new_services_no"),
        ("evaluate-cost-effort", "cost_evaluate_cost_effort_no"),
        ("observability", "ops_telemetry_no"),
        ("performing-architecture", "perf_performing_architecture_no"),
        ("application-security", "sec_appsec_no"),
        ("securely-operate", "sec_securely_operate_no"),
    ],
)
def test_none_of_these_has_aws_choice_id(wa, question_id, none_choice):
    workload = _create(wa)["WorkloadId"]
    answer = wa.get_answer(WorkloadId=workload, LensAlias=LENS, QuestionId=question_id)["Answer"]
    assert answer["Choices"][-1] == {"ChoiceId": none_choice, "Title": "None of these"}
    selected = wa.update_answer(
        WorkloadId=workload, LensAlias=LENS, QuestionId=question_id, SelectedChoices=[none_choice]
    )["Answer"]
    assert selected["SelectedChoices"] == [none_choice]


def test_iam_denial_is_access_denied(sandbox, wa, monkeypatch):
    workload = _create(wa)["WorkloadId"]
    sandbox.enforce_iam(monkeypatch, deny=["wellarchitected:UpdateAnswer"])
    # A new session: boto3's default one keeps the credentials it resolved first.
    client = boto3.Session().client(SERVICE, region_name="us-east-1", endpoint_url=sandbox.url)
    client.get_answer(WorkloadId=workload, LensAlias=LENS, QuestionId="securely-operate")
    with pytest.raises(ClientError) as raised:
        client.update_answer(
            WorkloadId=workload, LensAlias=LENS, QuestionId="securely-operate", Notes="x"
        )
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
