"""run --org under its two bounds, measured from outside the code that enforces them: requests in
flight at the sandbox server (at most --workers) and accounts audited at once (at most
--account-workers); and an account whose credentials stop working mid-audit (partial)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any

import botocore.client
from botocore.exceptions import ClientError

import wa_audit.org.run
from tests.org.conftest import SeededOrg
from tests.org.test_run_org import MANAGEMENT, _run
from wa_audit.exitcodes import ExitCode


class Peak:
    """How many are inside at once, at most."""

    def __init__(self) -> None:
        self.now = 0
        self.peak = 0
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self.now -= 1


def test_requests_in_flight_and_accounts_at_once_stay_within_their_bounds(
    sandbox, sandbox_server, small_org: SeededOrg, run_cli, tmp_path, monkeypatch
):
    requests, accounts = Peak(), Peak()
    served = sandbox_server._server.app  # werkzeug's server calls this for every request

    def counted_app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        with requests:
            return served(environ, start_response)  # answered in full (latency included) here

    real_audit_account = wa_audit.org.run.audit_account

    def counted_audit_account(run: Any, account: Any) -> Any:
        with accounts:
            return real_audit_account(run, account)

    monkeypatch.setattr(sandbox_server._server, "app", counted_app)
    monkeypatch.setattr(wa_audit.org.run, "audit_account", counted_audit_account)
    sandbox.state.faults.latency_seconds = 0.05  # so that requests overlap, as over a network
    result = _run(run_cli, tmp_path, "--workers", "2", "--account-workers", "2")
    assert result.exit_code == ExitCode.FAILED, result.output
    rows = json.loads((tmp_path / "organization.json").read_text())["accounts"]
    assert len(rows) == 4
    # Both bounds reached (the run was concurrent), neither exceeded.
    assert (requests.peak, accounts.peak) == (2, 2)


def test_an_account_whose_credentials_expire_mid_audit_is_partial(
    sandbox, small_org: SeededOrg, run_cli, tmp_path, monkeypatch
):
    """No double expires an assumed role's token, so AWS's ExpiredToken answer is made at the
    client, for dev's credentials only, on the IAM read the root checks need."""
    from moto.iam.models import get_account_id_from

    dev = small_org.ids["dev"]
    real_call = botocore.client.BaseClient._make_api_call

    def call(client: Any, name: str, params: dict[str, Any]) -> Any:
        key = client._request_signer._credentials.get_frozen_credentials().access_key
        if name == "GetAccountSummary" and get_account_id_from(key) == dev:
            error = {"Error": {"Code": "ExpiredToken", "Message": "The token has expired"}}
            raise ClientError(error, name)
        return real_call(client, name, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", call)
    result = _run(run_cli, tmp_path)
    assert result.exit_code == ExitCode.FAILED, result.output  # the management's FAIL outranks
    rows = {
        r["account_id"]: r
        for r in json.loads((tmp_path / "organization.json").read_text())["accounts"]
    }
    partial = rows[dev]
    assert (partial["outcome"], partial["exit_code"]) == ("partial", ExitCode.CANNOT_AUDIT)
    assert partial["reason"] == "the AWS credentials have expired: refresh them and run again"
    report = json.loads((tmp_path / partial["report_dir"] / "results.json").read_text())
    assert report["aborted"] == partial["reason"]
    assert {f["check_id"]: f["status"] for f in report["findings"]}[
        "sec.root-access-keys"
    ] == "ERROR"
    # The other accounts were audited as usual.
    assert rows[small_org.ids["prod"]]["outcome"] == "audited"
    assert rows[MANAGEMENT]["outcome"] == "audited"
