"""Operations settings: AWS Config, the support plan, Compute Optimizer, alternate contacts.

Everything goes through the APIs a user would call, except the support plan, which AWS sells but
offers no API to set: it lives in the sandbox's state.
"""

from __future__ import annotations

import json
from typing import Literal

from wa_audit.sandbox.extensions.support import PlanName, support_subscription
from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder

CONFIG_SERVICE = "config.amazonaws.com"
CONFIG_RECORDER = "default"


class AlternateContactSpec(SectionModel):
    type: Literal["BILLING", "OPERATIONS", "SECURITY"]
    name: str
    title: str
    email: str
    phone: str


class OperationsSection(SectionModel):
    config_recorder_regions: tuple[str, ...] = ()
    """Regions where an AWS Config recorder records (it is created and started there)."""
    config_bucket: str = "config-history-{account_id}"
    """The delivery channel's bucket, in the first recorder region; it expires old history."""
    support_plan: PlanName = "basic"
    compute_optimizer_enrolled: bool = False
    alternate_contacts: tuple[AlternateContactSpec, ...] = ()


def seed_operations(section: OperationsSection, env: SeedEnv) -> None:
    support_subscription(env.state, env.account_id).plan = section.support_plan
    if section.compute_optimizer_enrolled:
        env.client("compute-optimizer").update_enrollment_status(status="Active")
    account = env.client("account")
    for contact in section.alternate_contacts:
        account.put_alternate_contact(
            AlternateContactType=contact.type,
            Name=contact.name,
            Title=contact.title,
            EmailAddress=contact.email,
            PhoneNumber=contact.phone,
        )
    if section.config_recorder_regions:
        _seed_config(section, env)


def _seed_config(section: OperationsSection, env: SeedEnv) -> None:
    """A recorder of all resource types per region, delivering to one bucket with a lifecycle."""
    home = section.config_recorder_regions[0]
    bucket = section.config_bucket.format(account_id=env.account_id)
    s3 = env.client("s3", home)
    location = (
        {} if home == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": home}}
    )
    s3.create_bucket(Bucket=bucket, **location)
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "expire-config-history",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "Expiration": {"Days": 2555},
                }
            ]
        },
    )
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(_bucket_policy(bucket, env.account_id)))
    role_arn = env.client("iam").create_service_linked_role(AWSServiceName=CONFIG_SERVICE)["Role"][
        "Arn"
    ]
    for region in section.config_recorder_regions:
        config = env.client("config", region)
        config.put_configuration_recorder(
            ConfigurationRecorder={
                "name": CONFIG_RECORDER,
                "roleARN": role_arn,
                "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
            }
        )
        config.put_delivery_channel(
            DeliveryChannel={"name": CONFIG_RECORDER, "s3BucketName": bucket}
        )
        config.start_configuration_recorder(ConfigurationRecorderName=CONFIG_RECORDER)


def _bucket_policy(bucket: str, account_id: str) -> dict[str, object]:
    """What AWS Config needs to deliver to the bucket (its documented bucket policy)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AWSConfigBucketPermissionsCheck",
                "Effect": "Allow",
                "Principal": {"Service": CONFIG_SERVICE},
                "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
                "Resource": f"arn:aws:s3:::{bucket}",
                "Condition": {"StringEquals": {"AWS:SourceAccount": account_id}},
            },
            {
                "Sid": "AWSConfigBucketDelivery",
                "Effect": "Allow",
                "Principal": {"Service": CONFIG_SERVICE},
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/{account_id}/Config/*",
                "Condition": {
                    "StringEquals": {
                        "AWS:SourceAccount": account_id,
                        "s3:x-amz-acl": "bucket-owner-full-control",
                    }
                },
            },
        ],
    }


SEEDER = Seeder("operations", OperationsSection, seed_operations)
