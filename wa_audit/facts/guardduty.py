"""GuardDuty detectors, per region."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class Detector(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    arn: str
    status: str

    @property
    def enabled(self) -> bool:
        return self.status == "ENABLED"


@fact(
    "guardduty.detectors",
    regional=True,
    permissions=["guardduty:ListDetectors", "guardduty:GetDetector"],
)
def detectors(ctx: FetchContext) -> tuple[Detector, ...]:
    """A region has at most one detector; a suspended one is listed with status DISABLED."""
    guardduty = ctx.client("guardduty")
    found = []
    for detector_id in ctx.paginate("guardduty", "list_detectors", "DetectorIds"):
        status = guardduty.get_detector(DetectorId=detector_id)["Status"]
        arn = f"arn:{ctx.partition}:guardduty:{ctx.region}:{ctx.account_id}:detector/{detector_id}"
        found.append(Detector(id=detector_id, arn=arn, status=status))
    return tuple(found)
