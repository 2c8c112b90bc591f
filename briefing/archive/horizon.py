"""horizon_days(): a judgment's timeframe in words -> the days until its outcome should be known. Pure.

The schema asks the model for an optional timeframe per key judgment ("within two weeks", "by June
2026", "next year"); what cannot be read as a span of time gets DEFAULT_HORIZON_DAYS.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

DEFAULT_HORIZON_DAYS = 30
_UNITS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "quarter": 91, "year": 365}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "few": 3,
    "several": 3,
    "couple": 2,
}
_MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1
    )
}
_COUNT = re.compile(r"(\d+|" + "|".join(_NUMBERS) + r")(?:\s+of)?\s*-?\s*(day|week|fortnight|month|quarter|year)s?\b")
_NEXT = re.compile(r"\b(?:next|coming|this|within the|within a|in the)\s+(day|week|fortnight|month|quarter|year)(s?)\b")
# "the coming weeks": an unnamed few of the unit
_PLURAL = {"day": 7, "week": 30, "fortnight": 30, "month": 90, "quarter": 180, "year": 730}
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{4})\b")
_YEAR = re.compile(r"\b(?:by|in|before|end of)\s+(\d{4})\b")


def horizon_days(timeframe: str | None, made_on: date) -> int:
    """Days from `made_on` until the timeframe has passed; DEFAULT_HORIZON_DAYS when there is none to read."""
    text = (timeframe or "").strip().lower()
    if not text:
        return DEFAULT_HORIZON_DAYS
    end = _end_date(text)
    if end is not None:
        return max(1, (end - made_on).days)
    if match := _COUNT.search(text):
        count = int(match.group(1)) if match.group(1).isdigit() else _NUMBERS[match.group(1)]
        return max(1, count * _UNITS[match.group(2)])
    if match := _NEXT.search(text):
        return (_PLURAL if match.group(2) else _UNITS)[match.group(1)]
    for word, days in (("days", 7), ("weeks", 30), ("months", 180), ("years", 730), ("imminent", 7)):
        if word in text:
            return days
    return DEFAULT_HORIZON_DAYS


def _end_date(text: str) -> date | None:
    """An explicit end: 2026-06-30, June 2026 (its last day), by 2027 (its last day)."""
    try:
        if match := _ISO.search(text):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := _MONTH_YEAR.search(text):
            month, year = _MONTHS[match.group(1)], int(match.group(2))
            return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        if match := _YEAR.search(text):
            return date(int(match.group(1)), 12, 31)
    except ValueError:
        return None
    return None
