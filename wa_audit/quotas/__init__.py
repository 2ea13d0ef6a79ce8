"""Service Quotas: the catalog of watched quotas, the Report section, and ``wa-audit quotas``."""
