"""EKS: moto lacks DescribeClusterVersions, AWS's list of Kubernetes versions and their support.

The dates are AWS's published EKS release calendar (EKS User Guide, "Understand the Kubernetes
version lifecycle on EKS"): standard support for 14 months after release, extended support for 12
more. Each version's status is computed from the sandbox's clock, as AWS computes it from today's.
Without ``includeAll`` AWS lists only versions still offered (standard or extended support).

Past the last published release, the sandbox projects further minor versions on AWS's stated
cadence (one every four months), so a scenario's "latest version" stays current whatever the date;
projected entries are the sandbox's, not AWS's data.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="eks", signing_name="eks")

# version: (release, end of standard support, end of extended support)
CALENDAR = {
    "1.28": ("2023-09-26", "2024-11-26", "2025-11-26"),
    "1.29": ("2024-01-23", "2025-03-23", "2026-03-23"),
    "1.30": ("2024-05-23", "2025-07-23", "2026-07-23"),
    "1.31": ("2024-09-26", "2025-11-26", "2026-11-26"),
    "1.32": ("2025-01-23", "2026-03-23", "2027-03-23"),
    "1.33": ("2025-05-29", "2026-07-29", "2027-07-29"),
    "1.34": ("2025-10-02", "2026-12-02", "2027-12-02"),
    "1.35": ("2026-01-27", "2027-03-27", "2028-03-27"),
}


CADENCE = timedelta(days=122)  # "a new minor version on average once every four months"
STANDARD = timedelta(days=426)  # 14 months
EXTENDED = timedelta(days=365)  # 12 more


def _day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def calendar(now: datetime) -> dict[str, tuple[str, str, str]]:
    """The published calendar, plus projected versions released up to ``now``."""
    found = dict(CALENDAR)
    major, minor = (int(part) for part in list(CALENDAR)[-1].split("."))
    release = _day(CALENDAR[list(CALENDAR)[-1]][0])
    while release + CADENCE <= now:
        minor, release = minor + 1, release + CADENCE
        standard_end = release + STANDARD
        found[f"{major}.{minor}"] = (
            release.date().isoformat(),
            standard_end.date().isoformat(),
            (standard_end + EXTENDED).date().isoformat(),
        )
    return found


def _status(now: datetime, standard_end: datetime, extended_end: datetime) -> str:
    if now < standard_end:
        return "STANDARD_SUPPORT"
    return "EXTENDED_SUPPORT" if now < extended_end else "UNSUPPORTED"


@handlers.operation("DescribeClusterVersions")
def describe_cluster_versions(request: AwsRequest, state: SandboxState) -> Response:
    args = request.raw.args
    now = datetime.now(UTC)
    listed = []
    for version, (release, standard, extended) in calendar(now).items():
        status = _status(now, _day(standard), _day(extended))
        if _day(release) <= now:
            listed.append((version, release, standard, extended, status))
    offered = [v for v in listed if v[4] != "UNSUPPORTED"]
    default = max((v[0] for v in offered if v[4] == "STANDARD_SUPPORT"), default=None, key=_key)
    versions = [
        {
            "clusterVersion": version,
            "clusterType": "eks",
            "defaultPlatformVersion": "eks.1",
            "defaultVersion": version == default,
            "releaseDate": _day(release).timestamp(),
            "endOfStandardSupportDate": _day(standard).timestamp(),
            "endOfExtendedSupportDate": _day(extended).timestamp(),
            "status": status.lower().replace("_", "-"),
            "versionStatus": status,
            "kubernetesPatchVersion": f"{version}.0",
        }
        for version, release, standard, extended, status in (
            listed if args.get("includeAll") == "true" else offered
        )
    ]
    if args.get("defaultOnly") == "true":
        versions = [v for v in versions if v["defaultVersion"]]
    wanted = args.getlist("clusterVersions")
    if wanted:
        versions = [v for v in versions if v["clusterVersion"] in wanted]
    if args.get("versionStatus"):
        versions = [v for v in versions if v["versionStatus"] == args["versionStatus"]]
    return json_response({"clusterVersions": versions})


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
