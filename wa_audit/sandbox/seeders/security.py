"""Account-wide security services, switched on (or not) through their APIs as an admin would."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import Field

from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder

BlockPublicAccessSetting = Literal[
    "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"
]


class TrailSpec(SectionModel):
    name: str
    region: str
    bucket: str
    multi_region: bool = False
    log_file_validation: bool = False
    logging: bool = True
    log_retention_days: int | None = None
    """A lifecycle rule expiring the trail's log files; None leaves the bucket without one."""
    management_events: Literal["all", "read-only", "write-only", "none"] = "all"
    """What its event selectors log of management events ("all" is AWS's default)."""
    advanced_selectors: bool = False
    """Say it with advanced event selectors (eventCategory, readOnly) instead of classic ones."""
    global_service_events: bool = True


class ContactSpec(SectionModel):
    name: str
    title: str
    email: str
    phone: str


class SecuritySection(SectionModel):
    """Each ``*_regions`` list names the regions where the service is on; elsewhere it is off."""

    trails: list[TrailSpec] = Field(default_factory=list)
    guardduty_regions: list[str] = Field(default_factory=list)
    access_analyzer_regions: list[str] = Field(default_factory=list)
    security_hub_regions: list[str] = Field(default_factory=list)
    """Security Hub CSPM (the original Security Hub)."""
    security_hub_v2_regions: list[str] = Field(default_factory=list)
    """The new Security Hub (EnableSecurityHubV2)."""
    ebs_encryption_by_default_regions: list[str] = Field(default_factory=list)
    account_public_access_block: list[BlockPublicAccessSetting] = Field(
        default_factory=list,
        description="The account-level S3 Block Public Access settings that are on.",
    )
    security_contact: ContactSpec | None = None


def _seed_trail(trail: TrailSpec, env: SeedEnv) -> None:
    bucket = trail.bucket.format(account_id=env.account_id)  # bucket names are global
    location = {} if trail.region == "us-east-1" else {"LocationConstraint": trail.region}
    env.client("s3", trail.region).create_bucket(
        Bucket=bucket, **({"CreateBucketConfiguration": location} if location else {})
    )
    if trail.log_retention_days is not None:
        env.client("s3", trail.region).put_bucket_lifecycle_configuration(
            Bucket=bucket,
            LifecycleConfiguration={
                "Rules": [
                    {
                        "ID": "expire-trail-logs",
                        "Status": "Enabled",
                        "Filter": {"Prefix": ""},
                        "Expiration": {"Days": trail.log_retention_days},
                    }
                ]
            },
        )
    cloudtrail = env.client("cloudtrail", trail.region)
    cloudtrail.create_trail(
        Name=trail.name,
        S3BucketName=bucket,
        IsMultiRegionTrail=trail.multi_region,
        EnableLogFileValidation=trail.log_file_validation,
        IncludeGlobalServiceEvents=trail.global_service_events,
    )
    if trail.management_events != "all" or trail.advanced_selectors:
        cloudtrail.put_event_selectors(TrailName=trail.name, **_selectors(trail))
    if trail.logging:
        cloudtrail.start_logging(Name=trail.name)


_READ_WRITE = {"all": "All", "read-only": "ReadOnly", "write-only": "WriteOnly", "none": "All"}


def _selectors(trail: TrailSpec) -> dict[str, Any]:
    """PutEventSelectors' arguments for the trail's management events, classic or advanced."""
    if not trail.advanced_selectors:
        selector = {
            "ReadWriteType": _READ_WRITE[trail.management_events],
            "IncludeManagementEvents": trail.management_events != "none",
        }
        return {"EventSelectors": [selector]}
    fields: list[dict[str, Any]] = [{"Field": "eventCategory", "Equals": ["Management"]}]
    if trail.management_events in ("read-only", "write-only"):
        only_reads = trail.management_events == "read-only"
        fields.append({"Field": "readOnly", "Equals": ["true" if only_reads else "false"]})
    if trail.management_events == "none":
        fields = [
            {"Field": "eventCategory", "Equals": ["Data"]},
            {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
        ]
    return {"AdvancedEventSelectors": [{"Name": "management", "FieldSelectors": fields}]}


def seed_security(section: SecuritySection, env: SeedEnv) -> None:
    for trail in section.trails:
        _seed_trail(trail, env)
    for region in section.guardduty_regions:
        env.client("guardduty", region).create_detector(Enable=True)
    for region in section.access_analyzer_regions:
        env.client("accessanalyzer", region).create_analyzer(
            analyzerName=f"external-access-{region}", type="ACCOUNT"
        )
    for region in section.security_hub_regions:
        env.client("securityhub", region).enable_security_hub(EnableDefaultStandards=True)
    for region in section.security_hub_v2_regions:
        env.client("securityhub", region).enable_security_hub_v2()
    for region in section.ebs_encryption_by_default_regions:
        env.client("ec2", region).enable_ebs_encryption_by_default()
    if section.account_public_access_block:
        settings = {
            name: name in section.account_public_access_block
            for name in get_args(BlockPublicAccessSetting)
        }
        env.client("s3control").put_public_access_block(
            AccountId=env.account_id, PublicAccessBlockConfiguration=settings
        )
    contact = section.security_contact
    if contact is not None:
        env.client("account").put_alternate_contact(
            AlternateContactType="SECURITY",
            Name=contact.name,
            Title=contact.title,
            EmailAddress=contact.email,
            PhoneNumber=contact.phone,
        )


SEEDER = Seeder("security", SecuritySection, seed_security)
