"""Every AWS read wa-audit makes, one module per AWS area, plus the store that caches them."""
