"""Checks of the cost optimization pillar."""
