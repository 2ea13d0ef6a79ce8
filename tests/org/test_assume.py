"""Member sessions: the role assumed as AWS decides (sandbox), session name, ExternalId."""

from __future__ import annotations

import json
import threading

import pytest

from wa_audit.aws import AwsSession, InFlightGate
from wa_audit.config import Config
from wa_audit.org.assume import RoleNotAssumed, assumed_session, role_arn

MEMBER = "210987654321"


def _role(sandbox, name, trust_account, external_id=None):
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{trust_account}:root"},
        "Action": "sts:AssumeRole",
    }
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    iam = sandbox.client("iam")
    iam.meta.events.register(
        "before-sign", lambda request, **_: request.headers.__setitem__("x-moto-account-id", MEMBER)
    )
    iam.create_role(
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}),
    )


def _assume(name, external_id=None):
    return assumed_session(
        AwsSession(),
        role_arn("aws", MEMBER, name),
        external_id=external_id,
        region="us-east-1",
        config=Config(max_attempts=2),
        workers=2,
    )


def test_assumed_session_acts_in_the_member_account_as_wa_audit(sandbox):
    _role(sandbox, "Auditor", "123456789012")
    identity = _assume("Auditor").identity()
    assert identity.account_id == MEMBER
    assert identity.arn == f"arn:aws:sts::{MEMBER}:assumed-role/Auditor/wa-audit"


def test_external_id_required_by_the_trust_policy(sandbox):
    _role(sandbox, "ThirdParty", "123456789012", external_id="s3cret")
    with pytest.raises(RoleNotAssumed, match=r"sts:AssumeRole AccessDenied"):
        _assume("ThirdParty")
    with pytest.raises(RoleNotAssumed, match=r"sts:AssumeRole AccessDenied"):
        _assume("ThirdParty", external_id="wrong")
    assert _assume("ThirdParty", external_id="s3cret").identity().account_id == MEMBER


def test_role_that_does_not_trust_the_caller_or_does_not_exist(sandbox):
    _role(sandbox, "OtherTrust", "555555555555")
    for name in ("OtherTrust", "Missing"):
        with pytest.raises(RoleNotAssumed) as raised:
            _assume(name)
        assert str(raised.value).startswith(
            f"cannot assume arn:aws:iam::{MEMBER}:role/{name} (sts:AssumeRole AccessDenied: User:"
        )
        assert "\n" not in str(raised.value)


def test_in_flight_gate_one_permit_per_thread_and_returned_once():
    gate = InFlightGate(2)
    gate.enter()
    gate.enter()  # a retry of the same call: still one permit
    gate.leave()
    gate.leave()  # after-call after response-received: nothing more to give back
    entered = []

    def take() -> None:
        gate.enter()
        entered.append(threading.current_thread().name)

    workers = [threading.Thread(target=take, name=f"t{n}") for n in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=0.5)
    assert len(entered) == 2  # the third waits for a permit
    blocked = next(w for w in workers if w.is_alive())
    gate._permits.release()  # one of the first two's requests answered
    blocked.join(timeout=5)
    assert len(entered) == 3


def test_with_iam_enforced_the_callers_policy_must_allow_assuming_that_role(sandbox, monkeypatch):
    """The sandbox authorizes sts:AssumeRole on the role's ARN, as AWS does, so the management
    policy's statement scoped to one role name (``policy --org``) is tested as written."""
    _role(sandbox, "Auditor", "123456789012")
    _role(sandbox, "Other", "123456789012")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:*:iam::*:role/Auditor"}
        ],
    }
    sandbox.act_as(monkeypatch, sandbox.user_with_policy("assumer", policy))
    assert _assume("Auditor").identity().account_id == MEMBER
    with pytest.raises(RoleNotAssumed, match=r"sts:AssumeRole AccessDenied"):
        _assume("Other")
