"""Verify: every item of a briefing checked against its article, and the analytic checks. Pure, no LLM."""

from briefing.verify.core import failed_items, verify_briefing
from briefing.verify.index import normalise

__all__ = ["failed_items", "normalise", "verify_briefing"]
