"""cost.idle-load-balancers against the sandbox: serving, empty, redirect-only and all-stopped."""

from __future__ import annotations

from tests.checks.edge_sandbox import REGION, balancer
from tests.checks.sandbox_audit import audit
from wa_audit.models import Status


def _instance(sandbox, subnet: str) -> str:
    ec2 = sandbox.client("ec2")
    image = ec2.register_image(
        Name=f"api-{subnet}", RootDeviceName="/dev/xvda", VirtualizationType="hvm"
    )["ImageId"]
    instance = ec2.run_instances(
        ImageId=image, InstanceType="t3.micro", SubnetId=subnet, MinCount=1, MaxCount=1
    )["Instances"][0]["InstanceId"]
    return instance


def _redirector(sandbox) -> str:
    """An ALB whose only listener redirects HTTP to HTTPS elsewhere: serving, without targets."""
    arn, group = balancer(sandbox, "redirect")
    elbv2 = sandbox.client("elbv2")
    [listener] = elbv2.describe_listeners(LoadBalancerArn=arn)["Listeners"]
    redirect = {"Protocol": "HTTPS", "Host": "www.example.com", "StatusCode": "HTTP_301"}
    elbv2.modify_listener(
        ListenerArn=listener["ListenerArn"],
        DefaultActions=[{"Type": "redirect", "RedirectConfig": redirect}],
    )
    elbv2.delete_target_group(TargetGroupArn=group)
    return arn


def test_idle_load_balancers(sandbox):
    elbv2 = sandbox.client("elbv2")
    serving, serving_group = balancer(sandbox, "serving")
    subnet = sandbox.client("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    elbv2.register_targets(
        TargetGroupArn=serving_group, Targets=[{"Id": _instance(sandbox, subnet)}]
    )
    empty, _ = balancer(sandbox, "beta")
    stopped, stopped_group = balancer(sandbox, "stopped")
    halted = _instance(sandbox, subnet)
    elbv2.register_targets(TargetGroupArn=stopped_group, Targets=[{"Id": halted}])
    sandbox.client("ec2").stop_instances(InstanceIds=[halted])  # AWS registers running ones only
    redirector = _redirector(sandbox)
    findings = {f.resource: f for f in audit(["cost.idle-load-balancers"], (REGION,)).findings}
    assert {arn: f.status for arn, f in findings.items()} == {
        serving: Status.PASS,
        empty: Status.FAIL,
        stopped: Status.WARN,
        redirector: Status.PASS,
    }
    assert findings[empty].best_practices == ("COST04-BP03", "SUS02-BP03", "SUS03-BP02")
    assert findings[empty].message == (
        "Application load balancer beta has no registered targets: it bills every hour and "
        "serves nothing."
    )
    assert findings[stopped].evidence["registered_targets"] == 1
    assert findings[stopped].evidence["serving_targets"] == 0
    assert "answers requests itself (redirect)" in findings[redirector].message
