"""Auditing an AWS Organization: member accounts through an assumed role, one Report each, and an
organization Report over them (also built later from results files by ``wa-audit merge``)."""
