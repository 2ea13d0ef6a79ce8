"""AWS Well-Architected Tool, which moto lacks: answers, milestones and lens reviews (workloads
themselves in :mod:`wa_workloads`), and the state and errors both modules share.

Shapes are botocore's ``wellarchitected`` 2020-03-31 model; the lens is the Well-Architected
Framework from ``questions/`` (:mod:`wa_lens`, which also rates question risk). As on AWS: unknown
ChoiceIds and notes over the model's limits are ValidationException, unknown workloads, lenses,
questions and milestones ResourceNotFoundException, a milestone name used twice in a workload
ConflictException. ``ClientRequestToken`` makes creation idempotent.
``WaTool.update_answer_calls`` counts the writes (tests assert that a dry run or an unchanged
re-run writes nothing).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import unquote

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.extensions.wa_lens import (
    LENS_ALIAS,
    LENS_ARN,
    LENS_NAME,
    PILLAR_NAMES,
    AnswerState,
    LensQuestion,
    answer_body,
    apply_update,
    lens_questions,
    lens_version,
    question_by_id,
    question_risk,
    risk_counts,
    update_errors,
)
from wa_audit.sandbox.pagination import InvalidToken, page
from wa_audit.sandbox.protocol import AwsRequest, json_response, raw_path
from wa_audit.sandbox.state import SandboxState

T = TypeVar("T")
handlers = Handlers(
    service="wellarchitected", signing_name="wellarchitected", moto_has_service=False
)


@dataclass
class Milestone:
    name: str
    token: str | None
    answers: dict[str, AnswerState]
    recorded_at: datetime


@dataclass
class Workload:
    workload_id: str
    arn: str
    name: str
    owner: str
    body: dict[str, Any]
    updated: datetime
    token: str | None
    answers: dict[str, AnswerState] = field(default_factory=dict)
    milestones: list[Milestone] = field(default_factory=list)


@dataclass
class WaTool:
    workloads: dict[str, Workload] = field(default_factory=dict)
    update_answer_calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def wa_tool(state: SandboxState, account_id: str, region: str) -> WaTool:
    return state.area(account_id, f"wellarchitected.{region}", WaTool)


def epoch(moment: datetime) -> float:
    return moment.timestamp()


def error(code: str, message: str, status: int, **extra: Any) -> Response:
    body = {"__type": code, "Message": message, **extra}
    response = json_response(body, status)
    response.headers["X-Amzn-ErrorType"] = code
    return response


def invalid(message: str) -> Response:
    return error("ValidationException", message, 400, Reason="FIELD_VALIDATION_FAILED")


def not_found(kind: str, resource_id: str) -> Response:
    message = f"No {kind.lower()} found with ID {resource_id}."
    return error(
        "ResourceNotFoundException", message, 404, ResourceId=resource_id, ResourceType=kind
    )


def paged(items: list[T], token: str | None, size: int) -> tuple[list[T], str | None] | Response:
    """A page of at most ``size`` (1 to 50, the model's bounds) items, or AWS's error."""
    if not 1 <= size <= 50:
        return invalid("MaxResults must be between 1 and 50.")
    try:
        return page(items, token, size)
    except InvalidToken:
        return invalid("Invalid NextToken.")


def labels(request: AwsRequest) -> list[str]:
    return [unquote(p) for p in raw_path(request.raw).split("/") if p]


def workload_at(request: AwsRequest, state: SandboxState) -> Workload | Response:
    """The workload the URI names (``/workloads/{WorkloadId}/...``), or AWS's not-found."""
    workload_id = labels(request)[1]
    found = wa_tool(state, request.account_id, request.region).workloads.get(workload_id)
    return found if found is not None else not_found("WORKLOAD", workload_id)


def _answers_at(request: AwsRequest, workload: Workload) -> dict[str, AnswerState] | Response:
    """The workload's answers now, or at ``MilestoneNumber``; lens alias checked too."""
    lens = labels(request)[3]
    if lens not in (LENS_ALIAS, LENS_ARN):
        return not_found("LENS", lens)
    number = request.raw.args.get("MilestoneNumber")
    if number is None:
        return workload.answers
    if not number.isdigit() or not 1 <= int(number) <= len(workload.milestones):
        return not_found("MILESTONE", str(number))
    return workload.milestones[int(number) - 1].answers


def question_risks(answers: dict[str, AnswerState]) -> list[tuple[str, str]]:
    return [
        (q.pillar_id, question_risk(q, answers.get(q.question_id, AnswerState())))
        for q in lens_questions()
    ]


def workload_summary(workload: Workload) -> dict[str, Any]:
    """botocore's WorkloadSummary, as ListWorkloads and ListMilestones give it."""
    return {
        "WorkloadId": workload.workload_id,
        "WorkloadArn": workload.arn,
        "WorkloadName": workload.name,
        "Owner": workload.owner,
        "UpdatedAt": epoch(workload.updated),
        "Lenses": list(workload.body["Lenses"]),
        "RiskCounts": risk_counts([r for _, r in question_risks(workload.answers)]),
        "ImprovementStatus": "NOT_STARTED",
    }


def _question(request: AwsRequest) -> LensQuestion | Response:
    question_id = labels(request)[5]
    found = question_by_id(question_id)
    return found if found is not None else not_found("QUESTION", question_id)


@dataclass
class Located:
    """What a lens-review URI names: the workload, its answers (now or at a milestone), the
    question (for ``/answers/{QuestionId}``)."""

    workload: Workload
    answers: dict[str, AnswerState]
    question: LensQuestion | None = None

    @property
    def asked(self) -> LensQuestion:
        assert self.question is not None  # only routes with a QuestionId label ask
        return self.question


def _located(request: AwsRequest, state: SandboxState) -> Located | Response:
    workload = workload_at(request, state)
    if isinstance(workload, Response):
        return workload
    answers = _answers_at(request, workload)
    if isinstance(answers, Response):
        return answers
    if len(labels(request)) < 6:
        return Located(workload, answers)
    question = _question(request)
    return question if isinstance(question, Response) else Located(workload, answers, question)


LensHandler = Callable[[AwsRequest, SandboxState, Located], Response]


def _lens_operation(name: str) -> Callable[[LensHandler], LensHandler]:
    """Register a handler that is called only once the URI's workload, lens and question exist."""

    def register(handler: LensHandler) -> LensHandler:
        def located_first(request: AwsRequest, state: SandboxState) -> Response:
            located = _located(request, state)
            return located if isinstance(located, Response) else handler(request, state, located)

        handlers.operation(name)(located_first)
        return handler

    return register


def _lens_fields(workload: Workload) -> dict[str, Any]:
    return {"WorkloadId": workload.workload_id, "LensAlias": LENS_ALIAS, "LensArn": LENS_ARN}


def _milestone_field(request: AwsRequest) -> dict[str, Any]:
    number = request.raw.args.get("MilestoneNumber")
    return {"MilestoneNumber": int(number)} if number else {}


@_lens_operation("GetAnswer")
def get_answer(request: AwsRequest, state: SandboxState, at: Located) -> Response:
    workload, answers, question = at.workload, at.answers, at.asked
    answer = answers.get(question.question_id, AnswerState())
    return json_response(
        {
            **_lens_fields(workload),
            **_milestone_field(request),
            "Answer": answer_body(question, answer, summary=False),
        }
    )


@_lens_operation("ListAnswers")
def list_answers(request: AwsRequest, state: SandboxState, at: Located) -> Response:
    workload, answers = at.workload, at.answers
    pillar = request.raw.args.get("PillarId")
    questions = [q for q in lens_questions() if pillar is None or q.pillar_id == pillar]
    args = request.raw.args
    page = paged(questions, args.get("NextToken"), int(args.get("MaxResults", "50")))
    if isinstance(page, Response):
        return page
    found, token = page
    summaries = [
        answer_body(q, answers.get(q.question_id, AnswerState()), summary=True) for q in found
    ]
    body = {**_lens_fields(workload), **_milestone_field(request), "AnswerSummaries": summaries}
    return json_response({**body, **({"NextToken": token} if token else {})})


@_lens_operation("UpdateAnswer")
def update_answer(request: AwsRequest, state: SandboxState, at: Located) -> Response:
    workload, question = at.workload, at.asked
    if request.raw.args.get("MilestoneNumber"):
        return invalid("Milestones are read-only.")
    body = request.json()
    if (problem := update_errors(question, body)) is not None:
        return invalid(problem)
    tool = wa_tool(state, request.account_id, request.region)
    with tool.lock:
        tool.update_answer_calls += 1
        answer = workload.answers.setdefault(question.question_id, AnswerState())
        apply_update(answer, body)
        workload.updated = datetime.now(UTC)
    return json_response(
        {**_lens_fields(workload), "Answer": answer_body(question, answer, summary=False)}
    )


@handlers.operation("CreateMilestone")
def create_milestone(request: AwsRequest, state: SandboxState) -> Response:
    workload = workload_at(request, state)
    if isinstance(workload, Response):
        return workload
    body = request.json()
    name, token = body.get("MilestoneName", ""), body.get("ClientRequestToken")
    if not 3 <= len(name) <= 100:
        return invalid("MilestoneName must be 3 to 100 characters.")
    tool = wa_tool(state, request.account_id, request.region)
    with tool.lock:
        for number, milestone in enumerate(workload.milestones, start=1):
            if token and milestone.token == token:
                return json_response(
                    {"WorkloadId": workload.workload_id, "MilestoneNumber": number}
                )
            if milestone.name == name:
                return error(
                    "ConflictException",
                    f"Milestone name {name} is already in use for this workload.",
                    409,
                    ResourceId=workload.workload_id,
                    ResourceType="MILESTONE",
                )
        saved = Milestone(name, token, copy.deepcopy(workload.answers), datetime.now(UTC))
        workload.milestones.append(saved)
        number = len(workload.milestones)
    return json_response({"WorkloadId": workload.workload_id, "MilestoneNumber": number})


@handlers.operation("ListMilestones")
def list_milestones(request: AwsRequest, state: SandboxState) -> Response:
    """Oldest first, as numbered; each with the workload's summary (botocore's MilestoneSummary)."""
    workload = workload_at(request, state)
    if isinstance(workload, Response):
        return workload
    body = request.json()
    with wa_tool(state, request.account_id, request.region).lock:
        numbered = list(enumerate(workload.milestones, start=1))
        summary = workload_summary(workload)
    found = paged(numbered, body.get("NextToken"), body.get("MaxResults", 50))
    if isinstance(found, Response):
        return found
    milestones, token = found
    summaries = [
        {
            "MilestoneNumber": number,
            "MilestoneName": milestone.name,
            "RecordedAt": epoch(milestone.recorded_at),
            "WorkloadSummary": summary,
        }
        for number, milestone in milestones
    ]
    return json_response(
        {
            "WorkloadId": workload.workload_id,
            "MilestoneSummaries": summaries,
            **({"NextToken": token} if token else {}),
        }
    )


@_lens_operation("GetLensReview")
def get_lens_review(request: AwsRequest, state: SandboxState, at: Located) -> Response:
    workload, answers = at.workload, at.answers
    risks = question_risks(answers)
    pillars = [
        {
            "PillarId": pillar_id,
            "PillarName": name,
            "RiskCounts": risk_counts([r for p, r in risks if p == pillar_id]),
        }
        for pillar_id, name in PILLAR_NAMES.items()
    ]
    review = {
        "LensAlias": LENS_ALIAS,
        "LensArn": LENS_ARN,
        "LensVersion": lens_version(),
        "LensName": LENS_NAME,
        "LensStatus": "CURRENT",
        "PillarReviewSummaries": pillars,
        "UpdatedAt": epoch(workload.updated),
        "RiskCounts": risk_counts([r for _, r in risks]),
    }
    return json_response(
        {"WorkloadId": workload.workload_id, **_milestone_field(request), "LensReview": review}
    )
