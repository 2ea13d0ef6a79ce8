"""Quota usage against the sandbox: limits, counters, metrics, fallbacks and batched calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wa_audit.aws import AwsSession
from wa_audit.facts.quota_usage import QUOTA_USAGE_FACTS, global_usage, regional_usage
from wa_audit.facts.store import FactStore
from wa_audit.models import QuotaUsage
from wa_audit.sandbox.extensions.servicequotas import account, set_applied_value
from wa_audit.sandbox.seeders.quotas import USAGE_DIMENSIONS

ACCOUNT = "123456789012"
REGION = "eu-west-1"


def _store() -> FactStore:
    session = AwsSession()
    return FactStore(session, session.identity())


def _by_code(usages: tuple[QuotaUsage, ...]) -> dict[str, QuotaUsage]:
    return {u.quota_code: u for u in usages}


def test_counters_count_what_each_quota_counts(sandbox):
    ec2 = sandbox.client("ec2", REGION)
    for cpu in ({"CoreCount": 2, "ThreadsPerCore": 1}, None):
        launch = {
            "ImageId": "ami-12345678",
            "InstanceType": "m5.xlarge",
            "MinCount": 1,
            "MaxCount": 1,
        }
        ec2.run_instances(**launch, **({"CpuOptions": cpu} if cpu else {}))
    ec2.run_instances(ImageId="ami-12345678", InstanceType="g4dn.xlarge", MinCount=1, MaxCount=1)
    for _ in range(3):
        ec2.allocate_address(Domain="vpc")
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.1.0/24", AvailabilityZone=f"{REGION}b")
    for _ in range(2):
        allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
        ec2.create_nat_gateway(SubnetId=subnet["Subnet"]["SubnetId"], AllocationId=allocation)
    group = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "10.0.0.0/8"}, {"CidrIp": "192.168.0.0/16"}],
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
            },
        ],
    )
    ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=512, VolumeType="gp3")
    ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=1024, VolumeType="gp3")

    usage = _by_code(_store().get(regional_usage, REGION))

    standard = usage["L-1216C47A"]
    assert (standard.usage, standard.usage_source) == (
        6.0,
        "api:ec2:DescribeInstances",
    )  # 2x1 + 2x2
    assert usage["L-DB2E81BA"].usage == 4.0  # g4dn.xlarge: G and VT
    assert usage["L-0263D0A3"].usage == 5.0  # 3 + 2 behind the NAT gateways
    assert usage["L-FE5A380F"].usage == 2.0
    assert usage["L-FE5A380F"].note == f"busiest zone: {REGION}b"
    assert usage["L-0EA8095F"].usage == 3.0  # one rule per CIDR
    assert usage["L-7A658B76"].usage == 1.5  # TiB of gp3
    assert usage["L-F678F1CE"].usage == 2.0  # moto's default VPC and ours
    assert usage["L-1216C47A"].limit_source == "applied"


def _one_instance_and_usage_metric(sandbox, value: float, when: datetime) -> None:
    """An m5.large running, and the On-Demand vCPU usage metric at ``value`` at ``when``."""
    sandbox.client("ec2", REGION).run_instances(
        ImageId="ami-12345678", InstanceType="m5.large", MinCount=1, MaxCount=1
    )
    sandbox.client("cloudwatch", REGION).put_metric_data(
        Namespace="AWS/Usage",
        MetricData=[
            {
                "MetricName": "ResourceCount",
                "Dimensions": [{"Name": k, "Value": v} for k, v in USAGE_DIMENSIONS.items()],
                "Value": value,
                "Timestamp": when,
            }
        ],
    )


def test_usage_metric_wins_over_the_counter(sandbox):
    _one_instance_and_usage_metric(sandbox, 12, datetime.now(UTC))
    set_applied_value(sandbox.state, ACCOUNT, REGION, "ec2", "L-1216C47A", 16)
    store = _store()
    standard = _by_code(store.get(regional_usage, REGION))["L-1216C47A"]
    assert (standard.usage, standard.limit, standard.percent) == (12.0, 16.0, 75.0)
    assert standard.usage_source == "cloudwatch:AWS/Usage/ResourceCount:Maximum"
    assert store.session.calls.by_action()["cloudwatch:GetMetricData"] == 1


def test_every_region_costs_one_call_per_service_and_one_metric_batch(sandbox):
    store = _store()
    regions = ("us-east-1", REGION)
    store.prefetch([(f, r) for f in QUOTA_USAGE_FACTS for r in regions], workers=4)
    calls = store.session.calls.by_action_and_region()
    regional_services = 7  # ec2, vpc, ebs, rds, lambda, dynamodb, autoscaling
    assert calls[("servicequotas:ListServiceQuotas", REGION)] == regional_services
    assert calls[("servicequotas:ListServiceQuotas", "us-east-1")] == regional_services + 1  # + iam
    assert calls[("cloudwatch:GetMetricData", REGION)] == 1
    assert ("servicequotas:ListAWSDefaultServiceQuotas", REGION) not in calls


def test_the_default_stands_in_for_a_missing_applied_value(sandbox):
    account(sandbox.state, ACCOUNT).unlisted.add((REGION, "lambda", "L-2ACBD22F"))
    storage = _by_code(_store().get(regional_usage, REGION))["L-2ACBD22F"]
    assert (storage.limit, storage.limit_source) == (75.0, "default")
    assert "the AWS default is shown" in (storage.note or "")


def test_global_quotas_come_once_from_the_home_region(sandbox):
    iam = sandbox.client("iam")
    for name in ("a", "b", "c"):
        iam.create_role(RoleName=name, AssumeRolePolicyDocument="{}")
    usage = _by_code(_store().get(global_usage, REGION))
    assert {u.region for u in usage.values()} == {"global"}
    assert usage["L-FE177D64"].usage == 3.0
    assert (
        usage["L-FE177D64"].quota_arn
        == "arn:aws:servicequotas:us-east-1:123456789012:iam/L-FE177D64"
    )
    assert usage["L-F55AF5E4"].adjustable is False


def test_an_open_request_is_attached_to_its_quota(sandbox):
    request = sandbox.client("service-quotas", REGION).request_service_quota_increase(
        ServiceCode="vpc", QuotaCode="L-F678F1CE", DesiredValue=10
    )["RequestedQuota"]
    vpcs = _by_code(_store().get(regional_usage, REGION))["L-F678F1CE"]
    assert vpcs.open_request is not None
    assert (vpcs.open_request.id, vpcs.open_request.status) == (request["Id"], "PENDING")


@pytest.mark.parametrize(
    ("denied", "quota", "still_read"),
    [
        ("rds:DescribeAccountAttributes", "L-7B6409FD", "L-0263D0A3"),
        ("ec2:DescribeAddresses", "L-0263D0A3", "L-7B6409FD"),
    ],
)
def test_an_unreadable_counter_leaves_only_its_quota_unknown(
    sandbox, monkeypatch, denied, quota, still_read
):
    sandbox.enforce_iam(monkeypatch, deny=[denied])
    usage = _by_code(_store().get(regional_usage, REGION))
    assert usage[quota].usage is None
    assert f"grant {denied}" in (usage[quota].note or "")
    assert usage[still_read].usage == 0.0


def test_unreadable_metrics_fall_back_to_counters_with_a_note(sandbox, monkeypatch):
    # moto authorizes CloudWatch by its signing name ("monitoring"); AWS by "cloudwatch".
    sandbox.enforce_iam(monkeypatch, deny=["cloudwatch:GetMetricData", "monitoring:GetMetricData"])
    standard = _by_code(_store().get(regional_usage, REGION))["L-1216C47A"]
    assert standard.usage_source == "api:ec2:DescribeInstances"
    assert "CloudWatch usage metrics unavailable" in (standard.note or "")


def test_usage_metrics_are_read_at_the_runs_clock(sandbox):
    """A datapoint of the run's hour counts even when the wall clock has moved on (a long run,
    or a re-read of an earlier run's time): the window ends at ``FetchContext.now``."""
    ran_at = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    _one_instance_and_usage_metric(sandbox, 9, ran_at - timedelta(minutes=10))
    session = AwsSession()
    store = FactStore(session, session.identity(), now=ran_at)
    standard = _by_code(store.get(regional_usage, REGION))["L-1216C47A"]
    assert (standard.usage, standard.usage_source) == (
        9.0,
        "cloudwatch:AWS/Usage/ResourceCount:Maximum",
    )


def _ingress(ec2, group: str, port: int, **targets) -> None:
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": port, "ToPort": port, **targets}],
    )


def test_rules_per_security_group_count_per_ip_family_with_prefix_lists_by_weight(sandbox):
    """VPC quotas: IPv4 and IPv6 rules are limited separately, and "a rule that references a
    security group or prefix list ID counts as one rule for IPv4 and one rule for IPv6"; a
    prefix list counts as its MaxEntries, an AWS-managed one as its documented weight."""
    ec2 = sandbox.client("ec2", REGION)
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    web = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    peer = ec2.create_security_group(GroupName="peer", Description="peer", VpcId=vpc)["GroupId"]
    _ingress(
        ec2,
        web,
        443,
        IpRanges=[{"CidrIp": f"10.{i}.0.0/16"} for i in range(3)],
        Ipv6Ranges=[{"CidrIpv6": f"2001:db8:{i}::/48"} for i in range(2)],
        UserIdGroupPairs=[{"GroupId": peer}],
    )
    store = _store()
    rules = _by_code(store.get(regional_usage, REGION))["L-0EA8095F"]
    assert rules.usage == 4.0  # 3 IPv4 + the group (IPv6: 2 + the group); not 6 targets
    assert rules.note == f"fullest: {web} inbound IPv4 (IPv4 and IPv6 are limited apart)"
    assert rules.usage_source == "api:ec2:DescribeSecurityGroups"
    assert "ec2:DescribeManagedPrefixLists" not in store.session.calls.by_action()

    office = ec2.create_managed_prefix_list(
        PrefixListName="office", MaxEntries=20, AddressFamily="IPv6"
    )["PrefixList"]["PrefixListId"]
    _ingress(ec2, peer, 22, PrefixListIds=[{"PrefixListId": office}])
    store = _store()
    rules = _by_code(store.get(regional_usage, REGION))["L-0EA8095F"]
    assert rules.usage == 20.0  # one rule referencing a list of up to 20 entries, in each family
    assert rules.note == f"fullest: {peer} inbound IPv6 (IPv4 and IPv6 are limited apart)"
    assert rules.usage_source == "api:ec2:DescribeSecurityGroups+ec2:DescribeManagedPrefixLists"
    assert store.session.calls.by_action()["ec2:DescribeManagedPrefixLists"] == 1

    [cloudfront] = ec2.describe_managed_prefix_lists(
        Filters=[
            {
                "Name": "prefix-list-name",
                "Values": ["com.amazonaws.global.cloudfront.origin-facing"],
            }
        ]
    )["PrefixLists"]
    assert (cloudfront["OwnerId"], "MaxEntries" in cloudfront) == ("AWS", False)
    _ingress(ec2, web, 80, PrefixListIds=[{"PrefixListId": cloudfront["PrefixListId"]}])
    rules = _by_code(_store().get(regional_usage, REGION))["L-0EA8095F"]
    assert rules.usage == 59.0  # 3 IPv4 + the group + CloudFront's weight 55 (IPv6: 2 + 1 + 55)
    assert rules.note == f"fullest: {web} inbound IPv4 (IPv4 and IPv6 are limited apart)"


def test_aws_managed_prefix_lists_weigh_as_documented_by_exact_name():
    """VPC User Guide, "AWS-managed prefix list weight"; an unknown name has no weight and is
    counted as one rule, and named so."""
    from wa_audit.facts.vpc import PrefixList, RuleTargets, _weight

    def aws(name: str) -> dict[str, str]:
        return {"PrefixListName": name, "OwnerId": "AWS"}

    assert _weight(aws("com.amazonaws.eu-west-1.s3"), "eu-west-1") == 1
    assert _weight(aws("com.amazonaws.eu-west-1.ipv6.route53-healthchecks"), "eu-west-1") == 25
    assert _weight(aws("com.amazonaws.global.ipv6.cloudfront.origin-facing"), "eu-west-1") == 55
    assert _weight(aws("com.amazonaws.eu-west-1.s3express"), "eu-west-1") == 6
    assert _weight(aws("com.amazonaws.us-east-1.s3"), "eu-west-1") is None  # another region's
    assert _weight(aws("com.example.s3"), "eu-west-1") is None  # no suffix guessing
    assert _weight({"PrefixListName": "mine.s3", "OwnerId": ACCOUNT, "MaxEntries": 7}, "x") == 7
    lists = {
        "pl-lattice": PrefixList(id="pl-lattice", name="lattice", address_family="IPv6", weight=10),
        "pl-new": PrefixList(id="pl-new", name="new", address_family="IPv4", weight=None),
    }
    targets = RuleTargets(ipv4_ranges=1, prefix_lists=("pl-lattice", "pl-new", "pl-gone"))
    assert targets.rules_by_family(lists) == {"IPv4": 13, "IPv6": 12}
    assert targets.unweighted(lists) == ("pl-new", "pl-gone")
