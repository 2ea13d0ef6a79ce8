"""Shared EC2 and SNS facts against the sandbox (boto3 over HTTP to moto)."""

from __future__ import annotations

from wa_audit.aws import AwsSession
from wa_audit.facts.ec2 import addresses, instance_types, instances, volumes
from wa_audit.facts.sns import subscriptions
from wa_audit.facts.store import FactStore

REGION = "eu-west-1"


def _store() -> FactStore:
    session = AwsSession()
    return FactStore(session, session.identity())


def test_instances_types_volumes_and_addresses(sandbox):
    ec2 = sandbox.client("ec2", REGION)
    image = ec2.describe_images()["Images"]
    [instance] = ec2.run_instances(
        ImageId=image[0]["ImageId"] if image else "ami-12345678",
        InstanceType="m4.large",
        MinCount=1,
        MaxCount=1,
    )["Instances"]
    ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=50, VolumeType="gp2")
    ec2.allocate_address(Domain="vpc")
    store = _store()

    [found] = store.get(instances, REGION)
    assert (found.id, found.type, found.state) == (instance["InstanceId"], "m4.large", "running")
    m4 = store.get(instance_types, REGION)["m4.large"]
    assert m4.current_generation is False
    assert "x86_64" in m4.architectures
    available = [v for v in store.get(volumes, REGION) if v.state == "available"]
    assert [(v.type, v.size_gib) for v in available] == [("gp2", 50)]
    [address] = store.get(addresses, REGION)
    assert address.associated is False
    assert store.session.calls.by_action()["ec2:DescribeInstances"] == 1


def test_instance_types_are_described_100_at_a_time(sandbox):
    """AWS refuses more than 100 names per call (the sandbox too): 101 types take two calls."""
    ec2 = sandbox.client("ec2", REGION)
    offered = sorted(t["InstanceType"] for t in ec2.describe_instance_types()["InstanceTypes"])
    running = [name for name in offered if name.startswith(("c", "m", "r", "t"))][:101]
    assert len(running) == 101
    for name in running:
        ec2.run_instances(ImageId="ami-12345678", InstanceType=name, MinCount=1, MaxCount=1)
    store = _store()
    described = store.get(instance_types, REGION)
    assert sorted(described) == running
    assert store.session.calls.by_action()["ec2:DescribeInstanceTypes"] == 2


def test_subscriptions_group_by_topic(sandbox):
    sns = sandbox.client("sns", REGION)
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    found = _store().get(subscriptions, REGION)
    [subscription] = found.by_topic[topic]
    assert subscription.endpoint == "ops@example.com"
