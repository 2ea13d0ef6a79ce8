"""Checks of the operational excellence pillar."""
