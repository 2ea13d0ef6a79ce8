"""Checks of the reliability pillar."""
