"""build_schema(): the JSON schema of a Briefing, narrowed to one article. Pure.

Grounding by construction: where the endpoint honours the schema, actor names and quote speakers
can only be names the article uses, a quote can only be one of the article's own quotations, paired
with the speaker the article gives it, and evidence ids can only be 1..n. Endpoints cap the size of
enums (OpenAI: 500 values, 7,500 characters for large sets), so a very long article falls back to
free text, and the verifier then does all the checking.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache

from pydantic import BaseModel

from briefing.models import Article, Briefing

MAX_ENUM_VALUES = 400
MAX_ENUM_CHARS = 7_000


@lru_cache(maxsize=1)
def _base_schema() -> str:
    schema = Briefing.model_json_schema()
    _tidy(schema)
    return json.dumps(schema)


def strict_schema(model: type[BaseModel]) -> dict:
    """The JSON schema of any pydantic model, made strict-mode ready the same way as the Briefing's."""
    schema = model.model_json_schema()
    _tidy(schema)
    return schema


def base_schema() -> dict:
    """The Briefing schema for any article: strict-mode ready (every property required)."""
    return json.loads(_base_schema())


def build_schema(article: Article, *, grounded: bool = True) -> dict:
    """Return the Briefing schema for `article`; `grounded` narrows names and quotes to the article's."""
    schema = base_schema()
    defs = schema["$defs"]
    n = max(1, len(article.sentences))
    evidence_items = {"type": "integer", "minimum": 1, "maximum": n}
    for model in ("KeyJudgment", "Actor", "Risk", "Scenario"):
        defs[model]["properties"]["evidence"]["items"] = evidence_items
        defs[model]["properties"]["evidence"]["maxItems"] = min(4, n)
    if grounded and fits_enum_limits(article):
        _ground(defs, article)
    return schema


def fits_enum_limits(article: Article) -> bool:
    """True when the article's names and quotations fit in the enums endpoints accept."""
    values = [*article.names, *(q.text for q in article.quotations)]
    return len(values) <= MAX_ENUM_VALUES and sum(len(v) for v in values) <= MAX_ENUM_CHARS


def _ground(defs: dict, article: Article) -> None:
    actor = defs["Actor"]["properties"]
    if article.names:
        actor["name"] = {**actor["name"], "enum": list(article.names)}
        actor["name"].pop("maxLength", None)
    quotations = [q for q in article.quotations if q.text]
    if not quotations:
        actor["quotes"]["maxItems"] = 0
        return
    speakers = list(dict.fromkeys([*article.names, *(q.speaker for q in quotations if q.speaker)]))
    quote = defs["Quote"]
    variants = []
    for q in quotations:
        # Pair each quotation with the speaker the article gives it: the model picks a pair, it
        # cannot put words in the wrong mouth. Unattributed ones may go to any named speaker.
        speaker = {"type": "string", "enum": [q.speaker]} if q.speaker else {"type": "string", "enum": speakers}
        variants.append({
            "type": "object",
            "properties": {"text": {"type": "string", "enum": [q.text]}, "speaker": speaker},
            "required": ["text", "speaker"],
            "additionalProperties": False,
        })
    defs["Quote"] = {"anyOf": variants, "description": quote.get("description", "")}


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


def field_guide(schema: dict | None = None) -> str:
    """A compact, human-readable list of the fields and what goes in them, for the prompt."""
    schema = schema or base_schema()
    defs = schema.get("$defs", {})
    lines: list[str] = []
    _guide(schema, defs, lines, indent="")
    return "\n".join(lines)


def _guide(node: dict, defs: dict, lines: list[str], indent: str) -> None:
    for name, prop in node.get("properties", {}).items():
        target = prop
        if "$ref" in prop:
            target = defs[prop["$ref"].split("/")[-1]]
        items = target.get("items", {})
        if "$ref" in items:
            items = defs[items["$ref"].split("/")[-1]]
        desc = prop.get("description") or target.get("description", "")
        extra = ""
        if "enum" in prop and len(prop["enum"]) <= 8:
            extra = " One of: " + ", ".join(prop["enum"]) + "."
        if prop.get("type") == "array":
            lo, hi = prop.get("minItems", 0), prop.get("maxItems")
            extra += f" List of {lo}-{hi}." if hi is not None else ""
        lines.append(f"{indent}- {name}: {desc}{extra}".rstrip())
        sub = items if items.get("type") == "object" or "anyOf" in items else target
        if sub.get("properties"):
            _guide(sub, defs, lines, indent + "  ")
