"""AWS Config recorders and whether each records."""

from __future__ import annotations

from wa_audit.aws import AwsSession
from wa_audit.facts.config import recorders
from wa_audit.facts.store import FactStore

ROLE = (
    "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
)


def _store() -> FactStore:
    session = AwsSession()
    return FactStore(session, session.identity())


def test_recorder_stopped_then_recording(sandbox):
    config = sandbox.client("config", "eu-west-1")
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": ROLE,
            "recordingGroup": {"allSupported": True},
        }
    )
    [stopped] = _store().get(recorders, "eu-west-1")
    assert (stopped.name, stopped.recording, stopped.all_supported) == ("default", False, True)
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "history"})
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    [started] = _store().get(recorders, "eu-west-1")
    assert started.recording is True
    assert _store().get(recorders, "us-east-1") == ()
