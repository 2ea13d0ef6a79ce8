"""The Well-Architected Tool API, as ``wa-audit wa-tool`` uses it: typed answers, one-line errors.

Operations and limits are those of botocore's ``wellarchitected`` 2020-03-31 model. AWS's API
reference adds what the model cannot say: CreateWorkload needs ``ReviewOwner`` and ``AwsRegions``
or ``NonAwsRegions`` although neither is marked required
(https://docs.aws.amazon.com/wellarchitected/latest/APIReference/API_CreateWorkload.html).
"None of these" is found by its title in the question's choices, never by a guessed id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from functools import cache
from typing import Any

import botocore.session
from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError
from pydantic import Field

from wa_audit.aws import EXPIRED_CODES, REJECTED_CODES, AwsSession, describe_connection_error
from wa_audit.errors import CannotAuditError, UsageError, WaAuditError
from wa_audit.exitcodes import ExitCode
from wa_audit.facts.store import ACCESS_DENIED_CODES
from wa_audit.models import Frozen

LENS_ALIAS = "wellarchitected"
NONE_OF_THESE = "None of these"
READ_ACTIONS = (
    "wellarchitected:GetAnswer",
    "wellarchitected:GetLensReview",
    "wellarchitected:GetWorkload",
    "wellarchitected:ListAnswers",
    "wellarchitected:ListMilestones",
    "wellarchitected:ListWorkloads",
)
WRITE_ACTIONS = (
    "wellarchitected:CreateMilestone",
    "wellarchitected:CreateWorkload",
    "wellarchitected:UpdateAnswer",
)


@cache
def _limit(shape: str) -> int:
    model = botocore.session.get_session().get_service_model("wellarchitected")
    return int(model.shape_for(shape).metadata["max"])


def notes_limit() -> int:
    """UpdateAnswer's ``Notes`` maximum length (2084 in the 2020-03-31 model)."""
    return _limit("Notes")


def choice_notes_limit() -> int:
    return _limit("ChoiceNotes")


class WaToolError(WaAuditError):
    """AWS refused a call: the sync stopped part-way (what was written stays written)."""

    exit_code = ExitCode.INCOMPLETE


class WorkloadNotFoundError(UsageError):
    """ResourceNotFoundException: what a lookup by id answers for a workload that is not there."""


class Workload(Frozen):
    workload_id: str
    arn: str
    name: str


class ChoiceState(Frozen):
    status: str
    reason: str | None = None
    notes: str | None = None


class CurrentAnswer(Frozen):
    """One question's answer as the WA Tool holds it."""

    question_id: str
    choice_titles: dict[str, str]
    selected: tuple[str, ...] = ()
    choices: dict[str, ChoiceState] = Field(default_factory=dict)
    notes: str = ""
    is_applicable: bool = True
    reason: str | None = None
    risk: str = "UNANSWERED"

    @property
    def none_choice(self) -> str | None:
        return next((c for c, t in self.choice_titles.items() if t == NONE_OF_THESE), None)

    @property
    def answered(self) -> bool:
        """Anything recorded: a choice selected or marked not applicable, or the question."""
        marked = any(state.status == "NOT_APPLICABLE" for state in self.choices.values())
        return bool(self.selected) or marked or not self.is_applicable

    def status_of(self, choice_id: str) -> str:
        if choice_id in self.selected:
            return "SELECTED"
        state = self.choices.get(choice_id)
        return "NOT_APPLICABLE" if state and state.status == "NOT_APPLICABLE" else "UNSELECTED"


def _current(raw: dict[str, Any], question_id: str = "") -> CurrentAnswer:
    choice_entries = raw.get("ChoiceAnswers") or raw.get("ChoiceAnswerSummaries") or []
    return CurrentAnswer(
        question_id=raw.get("QuestionId", question_id),
        choice_titles={c["ChoiceId"]: c.get("Title", "") for c in raw.get("Choices", [])},
        selected=tuple(raw.get("SelectedChoices", [])),
        choices={
            c["ChoiceId"]: ChoiceState(
                status=c.get("Status", "UNSELECTED"), reason=c.get("Reason"), notes=c.get("Notes")
            )
            for c in choice_entries
        },
        notes=raw.get("Notes", ""),
        is_applicable=raw.get("IsApplicable", True),
        reason=raw.get("Reason"),
        risk=raw.get("Risk", "UNANSWERED"),
    )


def _workload(raw: dict[str, Any]) -> Workload:
    """From a WorkloadSummary or a Workload (the same three members)."""
    return Workload(workload_id=raw["WorkloadId"], arn=raw["WorkloadArn"], name=raw["WorkloadName"])


def printable(text: str) -> str:
    """Account text shown on a terminal: control characters escaped, never interpreted."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def workload_id_of(reference: str) -> str | None:
    """The id in a workload ARN (``arn:aws:wellarchitected:<region>:<account>:workload/<id>``)."""
    if reference.startswith("arn:") and ":workload/" in reference:
        return reference.rsplit("/", 1)[1]
    return None


def region_of(reference: str) -> str | None:
    parts = reference.split(":")
    return parts[3] if reference.startswith("arn:") and len(parts) > 3 else None


def _normalized(name: str) -> str:
    """The WA Tool ignores spaces and capitalization when it compares workload names."""
    return "".join(name.split()).lower()


class WaToolClient:
    def __init__(self, session: AwsSession, region: str) -> None:
        self.region = region
        self._session = session
        self._client = session.client("wellarchitected", region)

    def caller_arn(self) -> str:
        """The default review owner of a workload we create."""
        return self._session.identity().arn

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        try:
            answer: dict[str, Any] = getattr(self._client, operation)(**params)
        except ParamValidationError as error:
            detail = " ".join(str(error).split())
            raise UsageError(f"not a valid Well-Architected Tool request: {detail}") from error
        except BotoCoreError as error:
            raise CannotAuditError(describe_connection_error(error, None)) from error
        except ClientError as error:
            raise _refusal(error) from error
        return answer

    def _pages(self, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
        token: str | None = None
        while True:
            page = self._call(operation, **params, **({"NextToken": token} if token else {}))
            yield from page.get(key, [])
            token = page.get("NextToken")
            if not token:
                return

    def find_workload(self, reference: str) -> Workload | None:
        """The workload with this ARN (GetWorkload), or named so with spaces and capitals
        ignored, as the WA Tool compares names (botocore's WorkloadName documentation). Every
        workload is listed: how AWS matches a ``WorkloadNamePrefix`` is not documented, and
        'shopprod' is no prefix of 'Shop Prod'."""
        wanted_id = workload_id_of(reference)
        if wanted_id is not None:
            try:
                found = self._call("get_workload", WorkloadId=wanted_id)["Workload"]
            except WorkloadNotFoundError:
                return None
            return _workload(found)
        wanted = _normalized(reference)
        for summary in self._pages("list_workloads", "WorkloadSummaries", MaxResults=50):
            if _normalized(summary["WorkloadName"]) == wanted:
                return _workload(summary)
        return None

    def milestone_names(self, workload_id: str) -> list[str]:
        summaries = self._pages(
            "list_milestones", "MilestoneSummaries", WorkloadId=workload_id, MaxResults=50
        )
        return [summary["MilestoneName"] for summary in summaries]

    def lens_version(self, workload_id: str) -> str:
        review = self._call("get_lens_review", WorkloadId=workload_id, LensAlias=LENS_ALIAS)
        return str(review.get("LensReview", {}).get("LensVersion", "unknown"))

    def create_workload(
        self, name: str, environment: str, regions: list[str], review_owner: str, description: str
    ) -> Workload:
        created = self._call(
            "create_workload",
            WorkloadName=name,
            Description=description,
            Environment=environment,
            AwsRegions=regions,
            ReviewOwner=review_owner,
            Lenses=[LENS_ALIAS],
            ClientRequestToken=str(uuid.uuid4()),
        )
        return Workload(workload_id=created["WorkloadId"], arn=created["WorkloadArn"], name=name)

    def answer(self, workload_id: str, question_id: str) -> CurrentAnswer:
        raw = self._call(
            "get_answer", WorkloadId=workload_id, LensAlias=LENS_ALIAS, QuestionId=question_id
        )
        return _current(raw.get("Answer", {}), question_id)

    def answers(self, workload_id: str) -> list[CurrentAnswer]:
        """Every answered question with its notes: ListAnswers says which are answered (it
        carries no notes), GetAnswer reads each of those."""
        summaries = self._pages(
            "list_answers", "AnswerSummaries", WorkloadId=workload_id, LensAlias=LENS_ALIAS
        )
        listed = [_current(summary) for summary in summaries]
        return [self.answer(workload_id, a.question_id) for a in listed if a.answered]

    def update_answer(self, workload_id: str, question_id: str, **changes: Any) -> None:
        self._call(
            "update_answer",
            WorkloadId=workload_id,
            LensAlias=LENS_ALIAS,
            QuestionId=question_id,
            **changes,
        )

    def create_milestone(self, workload_id: str, name: str) -> int:
        created = self._call(
            "create_milestone",
            WorkloadId=workload_id,
            MilestoneName=name,
            ClientRequestToken=str(uuid.uuid4()),
        )
        return int(created["MilestoneNumber"])

    def risk_counts(self, workload_id: str) -> dict[str, int]:
        review = self._call("get_lens_review", WorkloadId=workload_id, LensAlias=LENS_ALIAS)
        counts: dict[str, int] = review.get("LensReview", {}).get("RiskCounts", {})
        return counts


def _refusal(error: ClientError) -> WaAuditError:
    code = printable(error.response.get("Error", {}).get("Code", "Unknown"))
    message = printable(error.response.get("Error", {}).get("Message", ""))
    operation = error.operation_name
    if code in EXPIRED_CODES:
        return CannotAuditError("the AWS credentials have expired: refresh them and run again")
    if code in REJECTED_CODES:
        return CannotAuditError(f"AWS rejected the credentials ({code}): check the access key")
    if code in ACCESS_DENIED_CODES:
        return WaToolError(
            f"access denied to wellarchitected:{operation} (see wa-audit policy --wa-tool)"
        )
    if code == "ResourceNotFoundException" and operation == "GetWorkload":
        return WorkloadNotFoundError(f"the Well-Architected Tool has no such workload: {message}")
    if code in ("ConflictException", "ResourceNotFoundException", "ValidationException"):
        return UsageError(f"the Well-Architected Tool refused {operation}: {code}: {message}")
    return WaToolError(f"the Well-Architected Tool failed {operation}: {code}: {message}")
