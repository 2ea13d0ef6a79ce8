"""wa-audit's built-in checks, one module per Well-Architected pillar."""
