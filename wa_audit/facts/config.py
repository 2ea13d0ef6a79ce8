"""AWS Config recorders of a region and whether each is recording.

Two calls per region: the recorders (what they record) and their status (whether they record).
Service-linked recorders, which a service creates to record only its own resource types, are kept
apart: they are no substitute for the account's own recorder.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class ConfigRecorder(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    recording: bool
    last_status: str | None = None
    all_supported: bool | None = None
    service_principal: str | None = None

    @property
    def service_linked(self) -> bool:
        return self.service_principal is not None


@fact(
    "config.recorders",
    regional=True,
    permissions=[
        "config:DescribeConfigurationRecorders",
        "config:DescribeConfigurationRecorderStatus",
    ],
)
def recorders(ctx: FetchContext) -> tuple[ConfigRecorder, ...]:
    client = ctx.client("config")
    described = client.describe_configuration_recorders()["ConfigurationRecorders"]
    statuses = {
        status["name"]: status
        for status in client.describe_configuration_recorder_status()[
            "ConfigurationRecordersStatus"
        ]
    }
    found = []
    for raw in described:
        status = statuses.get(raw["name"], {})
        found.append(
            ConfigRecorder(
                name=raw["name"],
                recording=bool(status.get("recording", False)),
                last_status=status.get("lastStatus"),
                all_supported=raw.get("recordingGroup", {}).get("allSupported"),
                service_principal=raw.get("servicePrincipal"),
            )
        )
    return tuple(found)


class ConfigAggregator(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    organization_wide: bool
    all_regions: bool


@fact(
    "config.aggregators",
    regional=True,
    permissions=["config:DescribeConfigurationAggregators"],
)
def aggregators(ctx: FetchContext) -> tuple[ConfigAggregator, ...]:
    """Aggregators of the region; an organization-wide one covers every member account."""
    found = []
    listed = ctx.paginate(
        "config", "describe_configuration_aggregators", "ConfigurationAggregators"
    )
    for raw in listed:
        source = raw.get("OrganizationAggregationSource")
        found.append(
            ConfigAggregator(
                name=raw["ConfigurationAggregatorName"],
                organization_wide=source is not None,
                all_regions=bool(source and source.get("AllAwsRegions")),
            )
        )
    return tuple(found)
