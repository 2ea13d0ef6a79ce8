"""Checks of the performance efficiency pillar."""
