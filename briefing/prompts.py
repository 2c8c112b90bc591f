"""build_messages(): an article and the prompt templates -> chat messages. Pure (reads templates).

The article goes in as numbered sentences between two fence lines that carry a random boundary, so
no text inside the article can close the fence; any fence-like marks in the article are defanged
first. Prompts are templates `prompts/NAME.system.j2` and `prompts/NAME.user.j2`, found on the
search path described in ARCHITECTURE.md, rendered sandboxed with StrictUndefined. The variables they
receive are listed in PROMPT_VARIABLES (shown by `briefing prompts show`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import TemplateError
from briefing.output.templating import find_template, load_template, make_environment, render_template
from briefing.records import Article, Mention
from briefing.schema import actor_mentions, field_guide

PARTS = ("system", "user")
BUILTIN_ORIGIN = "built-in"


@dataclass(frozen=True)
class PromptSet:
    """A named prompt (system + user templates) on a search path."""

    name: str
    dirs: list[Path]
    origins: list[str]

    @property
    def builtin(self) -> Path | None:
        """The built-in prompts folder (what `builtin/NAME` refers to)."""
        return next((d for d, o in zip(self.dirs, self.origins) if o == BUILTIN_ORIGIN), None)

    def environment(self):
        """The sandboxed Jinja environment these prompts render in (kept per search path)."""
        return _prompt_environment(tuple(Path(d) for d in self.dirs), self.builtin)

    def check(self) -> None:
        """Find and compile both parts now, so a broken prompt fails before any request."""
        self.files()
        env = self.environment()
        for part in PARTS:
            load_template(env, f"{self.name}.{part}.j2")

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
    translate_to: str | None = None,
) -> list[dict[str, str]]:
    """Render the system and user prompts for `article`; returns OpenAI-style messages.

    `variables` are the settings' (audience, language, length) and the user's own (see
    prompt_variables in pipeline.py); `translate_to` asks for a translation beside each quote.
    """
    prompt.files()  # a missing part is an error naming the folders searched
    env = prompt.environment()
    fence = boundary or secrets.token_hex(8)
    context = {
        "article": article,
        "headline": defang(article.title),
        "outlet": defang(article.outlet or ""),
        "published": defang(article.published or ""),
        "numbered_sentences": number_sentences(article.sentences),
        "fence_open": f"<<<ARTICLE {fence}",
        "fence_close": f"ARTICLE {fence}>>>",
        "field_guide": field_guide(
            translate_to=translate_to, length=str((variables or {}).get("length") or "standard")
        ),
        "n_sentences": len(article.sentences),
        # Most mentioned first: a small model takes its actors from the front of a list.
        "people": [defang(m.name) for m in by_salience(article.names) if m.kind == "person"],
        "bodies": [defang(m.name) for m in by_salience(actor_mentions(article)) if m.kind != "person"],
        "translate_quotes": translate_to or "",
        **(variables or {}),
    }
    return [
        {"role": part, "content": render_template(env, f"{prompt.name}.{part}.j2", context).strip()} for part in PARTS
    ]


def build_merge_messages(
    article: Article, partials: list[str], prompt: PromptSet, *, variables: dict[str, object] | None = None
) -> list[dict[str, str]]:
    """Messages asking to merge partial briefings (compact JSON strings) of one long article."""
    merge = PromptSet("merge", prompt.dirs, prompt.origins)
    merge.files()
    env = merge.environment()
    fence = secrets.token_hex(8)
    context = {
        "article": article,
        "headline": defang(article.title),
        "partials": [defang(p) for p in partials],
        "fence_open": f"<<<BRIEFINGS {fence}",
        "fence_close": f"BRIEFINGS {fence}>>>",
        "n_sentences": len(article.sentences),
        **(variables or {}),
    }
    return [{"role": part, "content": render_template(env, f"merge.{part}.j2", context).strip()} for part in PARTS]


@functools.lru_cache(maxsize=16)
def _prompt_environment(dirs: tuple[Path, ...], builtin: Path | None):
    return make_environment(list(dirs), autoescape=False, builtin=builtin)


def by_salience(mentions: list[Mention]) -> list[Mention]:
    """The article's names, those in the most sentences first (then by first mention)."""
    return sorted(mentions, key=lambda m: (-len(m.sentences), min(m.sentences or [1 << 30])))


def number_sentences(sentences: list[str]) -> str:
    """'[S1] ...' lines, one per sentence, with fence marks and newlines inside a sentence defanged."""
    return "\n".join(f"[S{i}] {defang(s)}" for i, s in enumerate(sentences, 1))


def prompt_sha256(messages: list[dict[str, str]], boundary: str | None = None) -> str:
    """A digest of the rendered prompt (with the random boundary masked) for provenance and caching."""
    h = hashlib.sha256()
    for m in messages:
        content = m["content"].replace(boundary, "") if boundary else m["content"]
        h.update(m["role"].encode() + b"\0" + content.encode() + b"\0")
    return h.hexdigest()


# Text that a chat template or a tokenizer reads as structure rather than words: ChatML and Llama 3
# (<|im_start|>, <|eot_id|>), DeepSeek (<｜...｜>), Llama 2 and Mistral ([INST], <<SYS>>, <s>, </s>),
# Gemma (<start_of_turn>). Servers that render the chat template and then tokenize with special
# tokens enabled (llama.cpp, vLLM) would otherwise let an article open a system turn of its own.
_SPECIAL_TOKENS = (
    (re.compile(r"<([|｜])"), r"‹\1"),
    (re.compile(r"([|｜])>"), r"\1›"),
    (re.compile(r"<(/?(?:s|bos|eos|pad|unk|start_of_turn|end_of_turn|think|tool_call))>", re.I), r"‹\1›"),
    (re.compile(r"\[(/?(?:INST|SYSTEM_PROMPT|AVAILABLE_TOOLS|TOOL_CALLS|TOOL_RESULTS))\]", re.I), r"⁅\1⁆"),
    (re.compile(r"<<(/?SYS)>>", re.I), r"‹‹\1››"),
)


def defang(text: str) -> str:
    """Article or model text made safe to put between fence lines: on one line, without fence marks
    (<<< and >>>: no text can close the fence) and without model-special tokens (_SPECIAL_TOKENS)."""
    text = " ".join(str(text).split()).replace("<<<", "‹‹‹").replace(">>>", "›››")
    for pattern, replacement in _SPECIAL_TOKENS:
        text = pattern.sub(replacement, text)
    return text
