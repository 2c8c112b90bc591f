"""build_schema(): the JSON schema of a Briefing, narrowed to one article. Pure.

Grounding by construction: where the endpoint honours the schema, actor names and quote speakers
can only be names the article uses, a quote can only be one of the article's own quotations, paired
with the speaker the article gives it, and evidence ids can only be 1..n. Endpoints cap the size of
enums (OpenAI: 500 values, 7,500 characters for large sets), so a very long article falls back to
free text, and the verifier then does all the checking.
"""

from __future__ import annotations

import json
from functools import lru_cache

from pydantic import BaseModel

from briefing.records import Article, Briefing, Mention
from briefing.text.kinds import is_outlet
from briefing.text.quotations import quotable

MAX_ENUM_VALUES = 400
MAX_ENUM_CHARS = 7_000
MAX_ACTORS = 8
MIN_ACTORS = 6

# Depth by construction, per --length: (minItems, maxItems) of each list. A small model always
# stops at a list's minimum, so the minimum is what a briefing of that length must have.
DEPTH = {
    "short": {"key_judgments": (1, 2), "risks": (1, 2), "outlook": (1, 1), "gaps": (1, 2)},
    "standard": {"key_judgments": (3, 4), "risks": (2, 4), "outlook": (2, 3), "gaps": (1, 4)},
    "long": {"key_judgments": (4, 4), "risks": (4, 4), "outlook": (3, 3), "gaps": (2, 4)},
}

# What constrained decoding holds a text to: a minimum length, so no text is a stub. No `pattern`:
# the embedded runtime's constraint engine (LLGuidance) slowed generation from about 20 to under
# 1 token/s with sentence patterns on long strings (bench/README.md); a text cut mid-sentence or
# an indicator made of sentence numbers is caught by the analytic checks (verify/analytic.py) and
# re-asked instead.
_TEXT_RULES = {
    ("Briefing", "bluf"): {"minLength": 40},
    ("Briefing", "summary"): {"minLength": 80},
    ("KeyJudgment", "statement"): {"minLength": 40},
    ("Actor", "stance"): {"minLength": 20},
    ("Risk", "description"): {"minLength": 40},
    ("Scenario", "development"): {"minLength": 30},
}
# Every item the model writes cites at least one sentence; the record allows none (records.Evidence).
EVIDENCE_MODELS = ("KeyJudgment", "Actor", "Risk", "Scenario")
EVIDENCE_MIN_ITEMS = 1
_LIST_ITEM_RULES = {
    ("Risk", "indicators"): {"minLength": 15},
    ("Scenario", "signposts"): {"minLength": 15},
    ("Briefing", "gaps"): {"minLength": 30},
}


@lru_cache(maxsize=1)
def _base_schema() -> str:
    schema = Briefing.model_json_schema()
    _tidy(schema)
    for model in EVIDENCE_MODELS:
        schema["$defs"][model]["properties"]["evidence"]["minItems"] = EVIDENCE_MIN_ITEMS
    return json.dumps(schema)


def strict_schema(model: type[BaseModel]) -> dict:
    """The JSON schema of any pydantic model, made strict-mode ready the same way as the Briefing's."""
    schema = model.model_json_schema()
    _tidy(schema)
    return schema


def base_schema(*, translate_to: str | None = None) -> dict:
    """The Briefing schema for any article: strict-mode ready (every property required).

    `translate_to` adds a `translation` field to every quote: the quote's `text` stays verbatim in
    the article's language (that is what verify.py checks), the translation goes beside it.
    """
    schema = json.loads(_base_schema())
    if translate_to:
        quote = schema["$defs"]["Quote"]
        quote["properties"]["translation"] = _translation_field(translate_to)
        quote["required"].append("translation")
    return schema


def build_schema(
    article: Article, *, grounded: bool = True, translate_to: str | None = None, length: str = "standard"
) -> dict:
    """Return the Briefing schema for `article`; `grounded` narrows names and quotes to the article's.

    `length` (short, standard, long) sets how many judgments, risks, outlook items and gaps the
    briefing must have (DEPTH).
    """
    schema = base_schema(translate_to=translate_to)
    defs = schema["$defs"]
    for field, (low, high) in DEPTH.get(length, DEPTH["standard"]).items():
        schema["properties"][field]["minItems"] = low
        schema["properties"][field]["maxItems"] = high
    _constrain_texts(schema)
    n = max(1, len(article.sentences))
    evidence_items = {"type": "integer", "minimum": 1, "maximum": n}
    for model in EVIDENCE_MODELS:
        defs[model]["properties"]["evidence"]["items"] = evidence_items
        defs[model]["properties"]["evidence"]["maxItems"] = min(4, n)
    if grounded and fits_enum_limits(article):
        _ground(defs, article, translate_to)
        # Left free, small models stop at the first few names; with people listed first they stop
        # before the states and bodies that act. Ask for MIN_ACTORS when the article names as many.
        actors = schema["properties"]["key_actors"]
        actors["minItems"] = min(MIN_ACTORS, len(actor_mentions(article)), actors["maxItems"])
    return schema


def _constrain_texts(schema: dict) -> None:
    """Add the minimum lengths of _TEXT_RULES and _LIST_ITEM_RULES to the schema's strings."""
    nodes = {"Briefing": schema, **schema["$defs"]}
    for (model, field), rule in _TEXT_RULES.items():
        nodes[model]["properties"][field].update(rule)
    for (model, field), rule in _LIST_ITEM_RULES.items():
        nodes[model]["properties"][field]["items"].update(rule)


def fits_enum_limits(article: Article) -> bool:
    """True when the article's names and quotations fit in the enums endpoints accept."""
    values = [*(m.name for m in article.names), *(quotable(q.text) for q in article.quotations)]
    return len(values) <= MAX_ENUM_VALUES and sum(len(v) for v in values) <= MAX_ENUM_CHARS


_KIND_ORDER = {"person": 0, "organisation": 1, "group": 2, "state": 3}


def actor_mentions(article: Article) -> list[Mention]:
    """The names that may be key actors: all the article's but news outlets, which report and never
    act (house rule: "Reuters" in a dateline is no actor)."""
    return [m for m in article.names if not is_outlet(m.name)]


def _ground(defs: dict, article: Article, translate_to: str | None = None) -> None:
    """Replace the free-text Actor with one variant per name the article uses.

    Each variant fixes the name (and the kind, when the article makes it plain), allows as evidence
    only the sentences that name the actor, and as quotes only the quotations the article gives that
    actor, each paired with its speaker. Quotations the article attributes to no one by name ("a
    spokesperson said") may go to any body (state, organisation, group), not to a named person.
    """
    if not article.names:
        return
    base = defs["Actor"]
    actors = actor_mentions(article)
    if not actors:
        return
    mentions = sorted(actors, key=lambda m: (_KIND_ORDER.get(m.kind, 9), min(m.sentences or [0])))
    named = {m.name for m in article.names}
    unnamed_quotes = [q for q in article.quotations if q.speaker not in named]
    bodies = [m for m in article.names if m.kind != "person"]
    affiliation = {id(q): _affiliated(q, bodies, article.sentences) for q in unnamed_quotes}
    variants = []
    for mention in mentions:
        props = dict(base["properties"])
        props["name"] = {
            "type": "string",
            "enum": [mention.name],
            "description": base["properties"]["name"]["description"],
        }
        # The name finder's kind, which the model cannot overrule ("Kmart Holding Corp" is no state);
        # its fallback "group" may be an organisation, never a person or a state.
        kinds = ["group", "organisation"] if mention.kind == "group" else [mention.kind]
        props["kind"] = {"type": "string", "enum": kinds}
        if mention.sentences:
            props["evidence"] = {
                **props["evidence"],
                "items": {"type": "integer", "enum": mention.sentences},
                "maxItems": min(4, len(mention.sentences)),
            }
        own = [q for q in article.quotations if q.speaker == mention.name]
        if mention.kind != "person":
            own += [q for q in unnamed_quotes if mention.name in affiliation[id(q)]]
        props["quotes"] = _quotes_schema(own, props["quotes"].get("description", ""), translate_to)
        variants.append({"type": "object", "properties": props, "required": list(props), "additionalProperties": False})
    defs["Actor"] = {"anyOf": variants}


def _affiliated(quotation, bodies: list, sentences: list[str]) -> set[str]:
    """The bodies an unnamed speaker speaks for: "An anonymous South Korean official" -> South Korea;
    "A spokesperson" right after "The United Nations underscored..." -> United Nations. None if unclear."""
    speaker = (quotation.speaker or "").lower()
    by_demonym = {b.name for b in bodies if b.name.lower()[:-1] in speaker or b.name.lower() in speaker}
    if by_demonym:
        return by_demonym
    first = min(quotation.sentences or [1])
    own = sentences[first - 1] if first <= len(sentences) else ""
    before = sentences[first - 2][:60] if first >= 2 else ""  # the subject of the sentence before
    return {b.name for b in bodies if b.name in own or b.name in before}


def _quotes_schema(quotations: list, description: str, translate_to: str | None = None) -> dict:
    if not quotations:
        return {"type": "array", "items": {"type": "string"}, "maxItems": 0, "description": description}
    items = []
    for q in quotations:
        properties = {
            "text": {"type": "string", "enum": [quotable(q.text)]},  # a Quote holds 400 characters at most
            "speaker": {"type": "string", "enum": [q.speaker or "unnamed source"]},
        }
        if translate_to:
            properties["translation"] = _translation_field(translate_to)
        items.append(
            {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}
        )
    # minItems 1: an actor the article quotes gets their own words in the briefing, verbatim.
    return {
        "type": "array",
        "items": {"anyOf": items} if len(items) > 1 else items[0],
        "minItems": 1,
        "maxItems": min(2, len(items)),
        "description": description,
    }


def _translation_field(language: str) -> dict:
    return {
        "type": "string",
        "maxLength": 500,
        "description": f"The quote translated into {language}; the text itself stays in the article's words.",
    }


def _tidy(node: object, *, is_properties: bool = False) -> None:
    """Drop schema titles (tokens the model never needs) and require every property (strict mode)."""
    if isinstance(node, dict):
        if not is_properties:
            node.pop("title", None)
        if node.get("type") == "object" and "properties" in node:
            node["required"] = list(node["properties"])
            node["additionalProperties"] = False
        for key, value in node.items():
            _tidy(value, is_properties=(key in ("properties", "$defs") and not is_properties))
    elif isinstance(node, list):
        for value in node:
            _tidy(value)


def field_guide(schema: dict | None = None, *, translate_to: str | None = None, length: str = "standard") -> str:
    """A compact, human-readable list of the fields and what goes in them, for the prompt.

    Nothing is said twice: a line that repeats an earlier one reads "as above.", and an enum the
    description already spells out is not listed again (on the seed: 76 prompt tokens fewer, the
    same actors and verified quotes; bench/README.md).
    """
    if schema is None:
        return _default_guide(translate_to, length)
    defs = schema.get("$defs", {})
    lines: list[str] = []
    _guide(schema, defs, lines, indent="", seen=set())
    return "\n".join(lines)


@lru_cache(maxsize=16)
def _default_guide(translate_to: str | None, length: str) -> str:
    schema = base_schema(translate_to=translate_to)
    for field, (low, high) in DEPTH.get(length, DEPTH["standard"]).items():
        schema["properties"][field]["minItems"] = low
        schema["properties"][field]["maxItems"] = high
    return field_guide(schema)


def _guide(node: dict, defs: dict, lines: list[str], indent: str, seen: set[str]) -> None:
    for name, prop in node.get("properties", {}).items():
        target = prop
        if "$ref" in prop:
            target = defs[prop["$ref"].split("/")[-1]]
        items = target.get("items", {})
        if "$ref" in items:
            items = defs[items["$ref"].split("/")[-1]]
        desc = prop.get("description") or target.get("description", "")
        extra = ""
        if "enum" in prop and len(prop["enum"]) <= 8 and not all(str(v) in desc for v in prop["enum"]):
            extra = " One of: " + ", ".join(prop["enum"]) + "."
        if prop.get("type") == "array":
            lo, hi = prop.get("minItems", 0), prop.get("maxItems")
            extra += f" List of {lo}-{hi}." if hi is not None else ""
        text = f"{desc}{extra}".strip()
        if text in seen:
            text = "as above."
        seen.add(text)
        lines.append(f"{indent}- {name}: {text}".rstrip())
        sub = items if items.get("type") == "object" or "anyOf" in items else target
        if sub.get("properties"):
            _guide(sub, defs, lines, indent + "  ", seen)
