"""What kind of actor a name is, by the house rules: people, states, organisations, outlets, places. Pure.

House rules (ANALYSIS.md): places are not actors unless they are states; outlets are organisations
and never speakers of what they report; a capital or a building standing for a government keeps
the article's wording but is an organisation, never a person; a party nickname is the party.
"""

from __future__ import annotations

from briefing.text.gazetteer import OUTLET_WORDS, OUTLETS


def is_outlet(name: str) -> bool:
    """'Reuters', 'Radio Free Asia', 'The Japan Times', 'Asia Times Online': a news outlet."""
    words = name.removeprefix("The ").split()
    if not words:
        return False
    if name in OUTLETS or name.removeprefix("The ") in OUTLETS:
        return True
    low = [w.lower() for w in words]
    return len(words) > 1 and (low[0] in ("radio", "tv", "daily") or low[-1] in OUTLET_WORDS - {"press", "agency"})
