"""``wa-audit demo``: audit a sample account served by the sandbox on loopback.

The audit goes through :func:`wa_audit.audit.execute`, boto3 talking HTTP to the sandbox through
``AWS_ENDPOINT_URL``: the same code path as a real account.
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import threading
import webbrowser
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from wa_audit.audit import AuditRequest, execute
from wa_audit.config import Config
from wa_audit.endpoint_data import partition_regions
from wa_audit.errors import UsageError
from wa_audit.formats import available_formats
from wa_audit.org.run import OrgRequest
from wa_audit.pipes import echo
from wa_audit.region_scope import refuse_unknown

DEMO_OUTPUT_DIR = Path("wa-audit-demo")
_CLEARED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


def sandbox_variables(url: str, region: str) -> dict[str, str]:
    """What points boto3 (and the AWS CLI) at the sandbox instead of AWS."""
    return {
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


@contextmanager
def pointed_at(url: str, region: str) -> Iterator[None]:
    """Swap this process's AWS environment for the sandbox's, and restore it afterwards."""
    saved = dict(os.environ)
    for name in _CLEARED:
        os.environ.pop(name, None)
    os.environ.update(sandbox_variables(url, region))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _require_moto() -> None:
    try:
        import moto  # noqa: F401
    except ImportError as error:
        raise UsageError(
            "wa-audit demo needs the demo extra: pip install 'wa-audit[demo]'"
        ) from error


@contextmanager
def seeded_sandbox(scenario_name: str, port: int = 0) -> Iterator[SeededSandbox]:
    """A running sandbox seeded with the scenario: its URL, regions, and whether it is an org.

    The process's AWS environment points at the sandbox from before seeding to the end, so no
    profile, token or config file of the user's reaches a client.
    """
    _require_moto()
    from wa_audit.sandbox.scenario import SeedEnv, load_scenario, seed
    from wa_audit.sandbox.seeders import all_seeders
    from wa_audit.sandbox.server import running_sandbox
    from wa_audit.sandbox.shared_models import share_parsed_models

    share_parsed_models()
    seeders = all_seeders()
    scenario = load_scenario(scenario_name, seeders)
    with running_sandbox(port) as server, pointed_at(server.url, scenario.regions[0]):
        server.reset()  # an empty account, even in a process that used moto before
        env = SeedEnv(url=server.url, state=server.state, regions=scenario.regions)
        seed(scenario, env, seeders)
        yield SeededSandbox(server.url, scenario.regions, "organization" in scenario.sections)


@dataclass(frozen=True)
class SeededSandbox:
    url: str
    regions: tuple[str, ...]
    organization: bool


def run_demo(
    request: AuditRequest,
    config: Config,
    scenario_name: str,
    on_written: Callable[[list[Path]], None] | None = None,
    org: OrgRequest | None = None,
) -> int:
    """The audit of the seeded account (every account, for an organization scenario); every
    report format unless --format or the config says. Returns the exit code.

    A region name AWS does not have is refused before the seconds of seeding, not after.
    """
    source = None if request.regions else config.source
    refuse_unknown(request.regions or config.regions, partition_regions("aws"), source)
    with seeded_sandbox(scenario_name) as sandbox:
        what = "organization" if sandbox.organization else "account"
        echo(f"Auditing the {scenario_name!r} sample {what} served on {sandbox.url} …", err=True)
        audit = replace(
            request,
            profile=None,
            regions=request.regions or config.regions or sandbox.regions,
            formats=request.formats or config.formats or tuple(available_formats()),
        )
        if sandbox.organization or org is not None:
            from wa_audit.org.cli import execute_org

            report = execute_org(audit, org or OrgRequest(), config, DEMO_OUTPUT_DIR, on_written)
            return report.exit_code
        return execute(audit, config, DEMO_OUTPUT_DIR, on_written=on_written).exit_code


def open_report(written: Sequence[Path]) -> None:
    """Show the HTML report in the default browser; where there is none, say where the file is."""
    page = next((path for path in written if path.suffix == ".html"), None)
    if page is None:
        echo("Nothing to open: add html to --format.", err=True)
        return
    try:
        opened = webbrowser.open(page.resolve().as_uri())
    except webbrowser.Error:
        opened = False
    if not opened:
        echo(f"No browser found; open {page} yourself.", err=True)


def check_port_free(port: int) -> None:
    """``--port`` taken (or privileged) is a usage error, exit 2: not werkzeug's exit 1 (= FAIL)."""
    if port == 0:
        return
    _require_moto()
    from wa_audit.sandbox.server import LOOPBACK

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind((LOOPBACK, port))
        except OSError as error:
            raise UsageError(
                f"--port {port}: cannot listen on {LOOPBACK}:{port} ({error.strerror}); "
                "choose another port, or 0 for any free one"
            ) from error


def serve_demo(scenario_name: str, port: int) -> None:
    """Keep the seeded sandbox up so any wa-audit command (or the AWS CLI) can be tried on it.

    The shell lines come first on stdout, so ``wa-audit demo --serve | head`` or a script can read
    them; everything else goes to stderr.
    """
    check_port_free(port)
    with seeded_sandbox(scenario_name, port) as sandbox:
        url, regions = sandbox.url, sandbox.regions
        for name, value in sandbox_variables(url, regions[0]).items():
            echo(f"export {name}={shlex.quote(value)}")
        echo(f"unset {' '.join(_CLEARED)}")
        echo(
            f"# The {scenario_name!r} sample account is served on {url}. In another shell, run the "
            f"lines above, then e.g.:\n#   wa-audit run --region {regions[0]}\n"
            f"#   aws ec2 describe-instances --region {regions[-1]}\n# Press Ctrl-C to stop."
        )
        _wait_for_interrupt()
        echo("wa-audit demo: stopped", err=True)


def _wait_for_interrupt() -> None:
    """Block until Ctrl-C (SIGINT) or SIGTERM, which a process manager sends instead."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
