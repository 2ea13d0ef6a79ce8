"""Checks of the sustainability pillar."""
