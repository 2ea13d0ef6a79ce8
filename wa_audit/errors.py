"""Errors a user can cause: each carries its exit code and a one-line message."""

from wa_audit.exitcodes import ExitCode


class WaAuditError(Exception):
    exit_code: ExitCode = ExitCode.USAGE


class UsageError(WaAuditError):
    exit_code = ExitCode.USAGE


class ConfigError(WaAuditError):
    exit_code = ExitCode.USAGE


class RegistryError(WaAuditError):
    """A plugin failed to load or two checks share an id; the run cannot be trusted."""

    exit_code = ExitCode.USAGE


class CannotAuditError(WaAuditError):
    """No credentials, expired credentials, unreachable endpoint: nothing could be audited."""

    exit_code = ExitCode.CANNOT_AUDIT
