"""ACM facts: the region's certificates, and for those in use, what uses them and how renewal went.

ListCertificates returns only RSA_2048 certificates unless ``Includes.keyTypes`` names the others
(ACM API Reference, ListCertificates), so every key type of botocore's ``KeyAlgorithm`` enum is
asked for. ``RenewalSummary`` and ``InUseBy`` exist only in DescribeCertificate, read per
certificate in use (there is no list-level equivalent).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class Certificate(BaseModel):
    model_config = ConfigDict(frozen=True)

    arn: str
    domain: str
    status: str
    type: str
    """``AMAZON_ISSUED``, ``IMPORTED`` or ``PRIVATE``."""
    in_use: bool
    not_after: datetime | None = None
    renewal_eligibility: str | None = None
    renewal_status: str | None = None
    """RenewalSummary.RenewalStatus: ``PENDING_AUTO_RENEWAL``, ``PENDING_VALIDATION``, ``SUCCESS``
    or ``FAILED``; None before ACM first tries to renew."""
    renewal_failure: str | None = None
    in_use_by: tuple[str, ...] = ()


def _key_types(client: object) -> list[str]:
    model = client.meta.service_model  # type: ignore[attr-defined]
    return list(model.shape_for("KeyAlgorithm").enum)


@fact(
    "acm.certificates",
    regional=True,
    permissions=["acm:ListCertificates", "acm:DescribeCertificate"],
)
def certificates(ctx: FetchContext) -> tuple[Certificate, ...]:
    client = ctx.client("acm")
    found = []
    for raw in ctx.paginate(
        "acm",
        "list_certificates",
        "CertificateSummaryList",
        Includes={"keyTypes": _key_types(client)},
    ):
        in_use = bool(raw.get("InUse"))
        detail: dict[str, object] = {}
        if in_use:
            detail = client.describe_certificate(CertificateArn=raw["CertificateArn"])[
                "Certificate"
            ]
        renewal = detail.get("RenewalSummary")
        renewal = renewal if isinstance(renewal, dict) else {}
        in_use_by = detail.get("InUseBy")
        found.append(
            Certificate(
                arn=raw["CertificateArn"],
                domain=raw.get("DomainName", raw["CertificateArn"]),
                status=raw.get("Status", "UNKNOWN"),
                type=raw.get("Type", "UNKNOWN"),
                in_use=in_use,
                not_after=raw.get("NotAfter"),
                renewal_eligibility=raw.get("RenewalEligibility"),
                renewal_status=renewal.get("RenewalStatus"),
                renewal_failure=renewal.get("RenewalStatusReason"),
                in_use_by=tuple(in_use_by) if isinstance(in_use_by, list) else (),
            )
        )
    return tuple(found)
