"""wa-audit: audit an AWS account against the Well-Architected Framework and its Service Quotas."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wa-audit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
