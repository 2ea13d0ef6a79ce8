"""Auto Scaling: the scaling policy shapes moto gets wrong.

- ``PutScalingPolicy`` answers an empty result: moto's ``PolicyArn`` is not AWS's ``PolicyARN``
  (botocore's ``autoscaling`` model, ``PolicyARNType``), so its server drops it.
- ``DescribePolicies`` lacks ``Enabled`` (moto ignores PutScalingPolicy's ``Enabled``; AWS's
  default is true) and ``Alarms`` (the CloudWatch alarms whose actions name the policy), and gives
  every policy an empty ``PredictiveScalingConfiguration`` that AWS returns only for predictive
  policies.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest
from wa_audit.sandbox.state import SandboxState
from wa_audit.sandbox.xml_responses import Element, corrected

handlers = Handlers(service="autoscaling", signing_name="autoscaling")


def _disabled(state: SandboxState, account_id: str) -> set[str]:
    """ARNs of the policies put with ``Enabled=false``."""
    return state.area(account_id, "autoscaling.disabled_policies", set)


@handlers.operation("PutScalingPolicy")
def put_scaling_policy(request: AwsRequest, state: SandboxState) -> Response:
    from moto.autoscaling.models import autoscaling_backends

    form = request.form()
    enabled = form.get("Enabled", "true").lower() != "false"

    def add_arn(root: Element, namespace: str) -> None:
        backend = autoscaling_backends[request.account_id][request.region]
        arn = backend.policies[form["PolicyName"]].arn
        disabled = _disabled(state, request.account_id)
        (disabled.discard if enabled else disabled.add)(arn)
        result = root.find(f"{{{namespace}}}PutScalingPolicyResult")
        if result is not None and result.find(f"{{{namespace}}}PolicyARN") is None:
            element = Element(f"{{{namespace}}}PolicyARN")
            element.text = arn
            result.append(element)

    return corrected(request, add_arn)


def _alarms_naming(account_id: str, region: str) -> dict[str, list[tuple[str, str]]]:
    """Policy ARN -> (alarm name, alarm ARN) of every alarm with it among its actions."""
    from moto.cloudwatch.models import cloudwatch_backends

    found: dict[str, list[tuple[str, str]]] = {}
    for alarm in cloudwatch_backends[account_id][region].alarms.values():
        actions = [*alarm.alarm_actions, *alarm.ok_actions, *alarm.insufficient_data_actions]
        for action in dict.fromkeys(actions):
            found.setdefault(action, []).append((alarm.name, alarm.alarm_arn))
    return found


@handlers.operation("DescribePolicies")
def describe_policies(request: AwsRequest, state: SandboxState) -> Response:
    def complete(root: Element, namespace: str) -> None:
        def tag(name: str) -> str:
            return f"{{{namespace}}}{name}"

        disabled = _disabled(state, request.account_id)
        alarms = _alarms_naming(request.account_id, request.region)
        for policy in root.iter(tag("member")):
            arn = policy.findtext(tag("PolicyARN"))
            if arn is None:
                continue  # a member of a nested list, not a policy
            predictive = policy.find(tag("PredictiveScalingConfiguration"))
            if predictive is not None and len(predictive) == 0:
                policy.remove(predictive)
            enabled = Element(tag("Enabled"))
            enabled.text = "false" if arn in disabled else "true"
            policy.append(enabled)
            listed = Element(tag("Alarms"))
            for name, alarm_arn in alarms.get(arn, []):
                member = Element(tag("member"))
                for key, value in (("AlarmName", name), ("AlarmARN", alarm_arn)):
                    child = Element(tag(key))
                    child.text = value
                    member.append(child)
                listed.append(member)
            policy.append(listed)

    return corrected(request, complete)
