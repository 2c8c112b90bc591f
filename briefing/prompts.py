"""build_messages(): an article and the prompt templates -> chat messages. Pure (reads templates).

The article goes in as numbered sentences between two fence lines that carry a random boundary, so
no text inside the article can close the fence; any fence-like marks in the article are defanged
first. Prompts are templates `prompts/NAME.system.j2` and `prompts/NAME.user.j2`, found on the
search path of DESIGN.md section 5, rendered sandboxed with StrictUndefined.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import TemplateError
from briefing.models import Article
from briefing.schema import field_guide
from briefing.templating import find_template, make_environment, render_template

PARTS = ("system", "user")


@dataclass(frozen=True)
class PromptSet:
    """A named prompt (system + user templates) on a search path."""

    name: str
    dirs: list[Path]
    origins: list[str]

    def files(self) -> list[str]:
        """'path (origin)' of each part, for the saved result and `prompts list`."""
        found = []
        for part in PARTS:
            src = find_template(self.dirs, f"{self.name}.{part}.j2", self.origins)
            if src is None:
                raise TemplateError(
                    f"prompt {self.name!r} has no {part} part ({self.name}.{part}.j2) in "
                    + ", ".join(str(d) for d in self.dirs),
                    hint="`briefing prompts list` shows the prompts there are",
                )
            found.append(f"{src.path} ({src.origin})")
        return found


def build_messages(
    article: Article,
    prompt: PromptSet,
    *,
    variables: dict[str, object] | None = None,
    boundary: str | None = None,
) -> list[dict[str, str]]:
    """Render the system and user prompts for `article`; returns OpenAI-style messages."""
    prompt.files()  # a missing part is an error naming the folders searched
    env = make_environment(prompt.dirs, autoescape=False)
    fence = boundary or secrets.token_hex(8)
    context = {
        "article": article,
        "headline": _defang(article.title),
        "outlet": _defang(article.outlet or ""),
        "published": _defang(article.published or ""),
        "numbered_sentences": number_sentences(article.sentences),
        "fence_open": f"<<<ARTICLE {fence}",
        "fence_close": f"ARTICLE {fence}>>>",
        "field_guide": field_guide(),
        "n_sentences": len(article.sentences),
        "people": [_defang(m.name) for m in article.names if m.kind == "person"],
        "bodies": [_defang(m.name) for m in article.names if m.kind != "person"],
        **(variables or {}),
    }
    return [
        {"role": part, "content": render_template(env, f"{prompt.name}.{part}.j2", context).strip()}
        for part in PARTS
    ]


def build_merge_messages(article: Article, partials: list[str], prompt: PromptSet, *,
                         variables: dict[str, object] | None = None) -> list[dict[str, str]]:
    """Messages asking to merge partial briefings (compact JSON strings) of one long article."""
    merge = PromptSet("merge", prompt.dirs, prompt.origins)
    merge.files()
    env = make_environment(merge.dirs, autoescape=False)
    fence = secrets.token_hex(8)
    context = {
        "article": article,
        "headline": _defang(article.title),
        "partials": [_defang(p) for p in partials],
        "fence_open": f"<<<BRIEFINGS {fence}",
        "fence_close": f"BRIEFINGS {fence}>>>",
        "n_sentences": len(article.sentences),
        **(variables or {}),
    }
    return [
        {"role": part, "content": render_template(env, f"merge.{part}.j2", context).strip()}
        for part in PARTS
    ]


def number_sentences(sentences: list[str]) -> str:
    """'[S1] ...' lines, one per sentence, with fence marks and newlines inside a sentence defanged."""
    return "\n".join(f"[S{i}] {_defang(s)}" for i, s in enumerate(sentences, 1))


def prompt_sha256(messages: list[dict[str, str]], boundary: str | None = None) -> str:
    """A digest of the rendered prompt (with the random boundary masked) for provenance and caching."""
    h = hashlib.sha256()
    for m in messages:
        content = m["content"].replace(boundary, "") if boundary else m["content"]
        h.update(m["role"].encode() + b"\0" + content.encode() + b"\0")
    return h.hexdigest()


def _defang(text: str) -> str:
    return " ".join(text.split()).replace("<<<", "‹‹‹").replace(">>>", "›››")
