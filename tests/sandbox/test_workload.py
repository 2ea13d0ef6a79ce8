"""The workload section: mublog's infrastructure, seeded through boto3, read back as AWS shows it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError
from pydantic import ValidationError

from tests.sandbox.shapes import response_problems
from wa_audit.aws import AwsSession
from wa_audit.errors import UsageError
from wa_audit.facts.ec2 import addresses, instance_types, instances, volumes
from wa_audit.facts.sns import subscriptions
from wa_audit.facts.store import FactStore
from wa_audit.sandbox.scenario import Scenario, SeedEnv, load_scenario, seed
from wa_audit.sandbox.seeders import all_seeders
from wa_audit.sandbox.seeders.workload_section import (
    Image,
    Instance,
    Network,
    RegionWorkload,
    Subnet,
    WorkloadSection,
)

EAST, WEST = "us-east-1", "eu-west-1"
ACCOUNT_ID = "123456789012"


def _seed(sandbox, scenario: Scenario, now: datetime) -> SeedEnv:
    """Seed with a fixed clock, keeping the outputs the seeders left."""
    env = SeedEnv(url=sandbox.url, state=sandbox.state, regions=scenario.regions, now=now)
    seed(scenario, env, all_seeders())
    return env


def _store() -> FactStore:
    session = AwsSession()
    return FactStore(session, session.identity())


def _checked(service: str, operation: str, answer: dict) -> dict:
    assert response_problems(service, operation, answer) == []
    return answer


def _names(tags: dict[str, str] | list[dict[str, str]]) -> str:
    if isinstance(tags, dict):
        return tags["Name"]
    return {t["Key"]: t["Value"] for t in tags}["Name"]


def test_sample_account_has_the_gaps_a_new_account_has(sandbox):
    now = datetime.now(UTC).replace(microsecond=0)
    env = _seed(sandbox, sandbox.scenario("sample"), now)
    store = _store()

    # Instances: previous generation, one Graviton, one stopped 45 days ago with its volume.
    east = {_names(i.tags): i for i in store.get(instances, EAST)}
    types = store.get(instance_types, EAST)
    assert east["mublog-api-1"].type == "m4.large"
    assert types["m4.large"].current_generation is False
    assert [n for n, i in east.items() if i.architecture == "arm64"] == ["mublog-api-graviton-1"]
    stopped = east["mublog-search-1"]
    assert stopped.state == "stopped"
    stopped_at = (now - timedelta(days=45)).strftime("%Y-%m-%d %H:%M:%S")
    assert stopped.state_transition_reason == f"User initiated ({stopped_at} GMT)"
    assert stopped.launch_time == now - timedelta(days=540)
    assert len(stopped.volume_ids) == 1
    assert env.outputs["instance_ids"][EAST]["mublog-search-1"] == stopped.id

    # Leftovers: a detached gp2 volume and an unassociated Elastic IP, in us-east-1 only.
    [detached] = [v for v in store.get(volumes, EAST) if not v.attached_instance_ids]
    assert (detached.type, detached.size_gib, detached.state) == ("gp2", 200, "available")
    assert detached.create_time == now - timedelta(days=400)
    # (the quotas section tops Elastic IPs up to 4 of 5 afterwards; this is the workload's own)
    bastion_ip = env.outputs["elastic_ips"][EAST]["mublog-bastion-ip"]
    [address] = [a for a in store.get(addresses, EAST) if a.allocation_id == bastion_ip]
    assert address.associated is False
    assert store.get(addresses, WEST) == ()

    # The auto scaling group lives in one AZ, behind the load balancer.
    autoscaling = sandbox.client("autoscaling", EAST)
    groups = _checked(
        "autoscaling", "DescribeAutoScalingGroups", autoscaling.describe_auto_scaling_groups()
    )
    [group] = groups["AutoScalingGroups"]
    assert group["AvailabilityZones"] == ["us-east-1a"]
    assert {i["AvailabilityZone"] for i in group["Instances"]} == {"us-east-1a"}
    assert group["TargetGroupARNs"] == [env.outputs["target_group_arns"][EAST]["mublog-api"]]
    launched = {i["InstanceId"] for i in group["Instances"]}
    asg_volumes = [v for v in store.get(volumes, EAST) if launched & set(v.attached_instance_ids)]
    assert [(v.type, v.size_gib) for v in asg_volumes] == [("gp2", 30)] * 2  # the template's only

    # The database: single-AZ PostgreSQL with one day of backups.
    rds = sandbox.client("rds", EAST)
    [database] = _checked("rds", "DescribeDBInstances", rds.describe_db_instances())["DBInstances"]
    assert (database["Engine"], database["MultiAZ"], database["BackupRetentionPeriod"]) == (
        "postgres",
        False,
        1,
    )

    # DynamoDB without point-in-time recovery; buckets with and without lifecycle rules.
    dynamodb = sandbox.client("dynamodb", EAST)
    backups = dynamodb.describe_continuous_backups(TableName="mublog-timeline")
    recovery = _checked("dynamodb", "DescribeContinuousBackups", backups)
    status = recovery["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert status["PointInTimeRecoveryStatus"] == "DISABLED"
    s3 = sandbox.client("s3", EAST)
    rules = s3.get_bucket_lifecycle_configuration(Bucket=f"mublog-avatars-{ACCOUNT_ID}")["Rules"]
    assert rules[0]["Transitions"] == [{"Days": 90, "StorageClass": "STANDARD_IA"}]
    with pytest.raises(ClientError, match="NoSuchLifecycleConfiguration"):
        s3.get_bucket_lifecycle_configuration(Bucket=f"mublog-logs-{ACCOUNT_ID}")

    # Alerts: confirmed in us-east-1, never confirmed in eu-west-1.
    for region, confirmed in ((EAST, 1), (WEST, 0)):
        topic = env.outputs["alerts_topic_arn"][region]
        found = store.get(subscriptions, region)
        assert len(found.by_topic[topic]) == 1
        assert len(found.confirmed(topic)) == confirmed


def test_clean_account_is_the_well_architected_version(sandbox):
    env = _seed(sandbox, sandbox.scenario("clean"), datetime.now(UTC))
    store = _store()

    for region in (EAST, WEST):
        running = store.get(instances, region)
        assert {i.state for i in running} == {"running"}
        types = store.get(instance_types, region)
        assert all(types[i.type].current_generation for i in running)
        graviton = [i for i in running if i.architecture == "arm64"]
        assert len(graviton) / len(running) >= 0.75
        assert {v.type for v in store.get(volumes, region)} == {"gp3"}
        assert all(v.attached_instance_ids for v in store.get(volumes, region))
        # The NAT gateways' addresses (network section) are in use; nothing idles.
        assert all(address.associated for address in store.get(addresses, region))
        topic = env.outputs["alerts_topic_arn"][region]
        assert len(store.get(subscriptions, region).confirmed(topic)) == 1
        s3 = sandbox.client("s3", region)
        for name in env.outputs["bucket_names"][region].values():
            assert s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
        dynamodb = sandbox.client("dynamodb", region)
        for table in env.outputs["table_arns"][region]:
            description = dynamodb.describe_continuous_backups(TableName=table)
            recovery = description["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
            assert recovery["PointInTimeRecoveryStatus"] == "ENABLED"

    [group] = sandbox.client("autoscaling", EAST).describe_auto_scaling_groups()[
        "AutoScalingGroups"
    ]
    assert sorted(group["AvailabilityZones"]) == ["us-east-1a", "us-east-1b"]
    assert sorted(i["AvailabilityZone"] for i in group["Instances"]) == ["us-east-1a", "us-east-1b"]
    assert (group["MinSize"], group["DesiredCapacity"]) == (2, 2)
    [database] = sandbox.client("rds", EAST).describe_db_instances()["DBInstances"]
    assert database["MultiAZ"] is True
    assert database["BackupRetentionPeriod"] >= 7


def _tiny(**overrides) -> RegionWorkload:
    network = Network(
        name="tiny", cidr="10.9.0.0/16", subnets=(Subnet(name="a", cidr="10.9.0.0/24", zone="a"),)
    )
    fields = {
        "network": network,
        "images": (Image(name="img-arm", architecture="arm64"),),
        "instances": (Instance(name="web", type="t4g.small", image="img-arm", subnet="a"),),
    }
    return RegionWorkload(**{**fields, **overrides})


def test_tests_vary_the_section_through_the_scenario(sandbox):
    # The other sections build on the sample workload (its subnets, instances, load balancers).
    scenario = (
        sandbox.scenario("sample")
        .with_section("workload", WorkloadSection(regions={WEST: _tiny()}))
        .only("workload")
    )
    env = _seed(sandbox, scenario, datetime.now(UTC))

    [web] = _store().get(instances, WEST)
    assert (web.type, web.architecture, web.availability_zone) == (
        "t4g.small",
        "arm64",
        "eu-west-1a",
    )
    assert web.tags == {"Name": "web"}
    assert env.outputs["instance_ids"] == {WEST: {"web": web.id}}
    assert _store().get(instances, EAST) == ()


def test_a_name_pointing_nowhere_is_a_scenario_error():
    with pytest.raises(ValidationError, match="web: no subnet named 'b' in this region"):
        _tiny(instances=(Instance(name="web", type="t4g.small", image="img-arm", subnet="b"),))


def test_a_bad_scenario_folder_names_the_file_and_the_field(tmp_path):
    (tmp_path / "scenario.toml").write_text('description = "x"\nregions = ["us-east-1"]\n')
    (tmp_path / "workload.toml").write_text(
        '[regions.us-east-1.network]\nname = "n"\ncidr = "10.0.0.0/16"\nsubnets = []\n'
        '[[regions.us-east-1.instances]]\nname = "web"\ntype = "t3.micro"\nimage = "x"\n'
        'subnet = "a"\n'
    )
    with pytest.raises(
        UsageError, match=r"workload\.toml: regions\.us-east-1: .*no image named 'x'"
    ):
        load_scenario(str(tmp_path), all_seeders())
