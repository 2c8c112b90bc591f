"""The variables and filters every prompt and output template receives, documented in one place. Pure.

`briefing templates show` and `briefing prompts show` print these tables; check_variable_names()
keeps a user's --var from hiding one of them.
"""

from __future__ import annotations

from briefing.errors import ConfigError

# Saved with the prompt's variables, but not the user's own (they are `vars`).
SETTING_VARIABLES = ("audience", "language", "length", "translate_quotes", "worked_example")


TEMPLATE_VARIABLES = {
    "result": "the whole saved result (BriefingResult): article, briefing, grounding, model, prompt, usage, timings",
    "b": "the briefing: title, bluf, summary, key_judgments, key_actors, risks, outlook, gaps",
    "article": "the article: title, source, outlet, author, published, sentences, names, quotations",
    "grounding": "the verifier's findings: sections (counts), issues, and .line (the grounding sentence)",
    "model": "the model: name, endpoint, embedded, note",
    "cited": "list of (number, sentence) for every sentence the briefing cites, in order",
    "sentence(n)": "the text of sentence [Sn]",
    "generated": "the date and time the briefing was made (UTC, ISO 8601)",
    "audience": "who the briefing was written for (--audience)",
    "language": "the language it was written in, as given (--language)",
    "length": "short, standard or long (--length)",
    "lang": "the language tag for <html lang>: 'fr', 'pt-BR'; 'und' when unknown",
    "labels": "headings and fixed words in that language, from labels.toml: labels.summary, labels.risks, ...",
    "flags": "path -> reason of each text the analytic checks still flag: flags['bluf'], flags['gaps/0']",
    "grounding_line": "the grounding line in that language ('12 of 14 items verified against the source')",
    "classification": "the distribution/classification marking from the settings (config `classification`), or None",
    "paper": "the paper size for print and PDF: A4 (default) or --var paper=letter (also A5, A3, legal)",
    "vars": "your own variables from --var KEY=VALUE and [vars] in config.toml; each is also {{ KEY }}",
}


DIGEST_TEMPLATE_VARIABLES = {
    "digest": "the whole saved digest (Digest): title, date, cover, cover_issues, stories, failures, changes, "
    "model, usage",
    "cover": "the cover: headline, bluf, top_lines, top_risks, watch, groups (each cites story numbers)",
    "groups": "list of (group name, [story views]) in reading order",
    "stories": "list of story views: number, anchor, story, b, article, grounding, sources, cited, sentence(n)",
    "story(n)": "the story view of story number n",
    "failures": "the inputs that failed: source, stage, error, duplicates",
    "changes": "what changed since --previous or the archive's previous digest (or None): compared_with, new, "
    "continuing, dropped, risks_rose, risks_fell, stories (per continuing story: judgments_moved, actors_new, "
    "risks_appeared, risks_gone, indicators_seen)",
    "grounding": "totals over all stories: verified, weak, unverified, total, flagged (texts the analytic checks "
    "flag, cover included)",
    "model": "the model: name, endpoint, embedded, note",
    "generated": "the date and time the digest was made (UTC, ISO 8601)",
    "classification, paper, lang, labels": "as for a briefing",
}


# Variables a user may set with --var although a template also receives them.
USER_SETTABLE = {"paper"}


FILTERS = {
    "md": "Markdown templates: escape text for Markdown: no raw HTML, links, images or headings",
    "markdown": "HTML templates: render inline Markdown (bold, italics, code, http(s) links) as sanitized HTML",
    "term": "a fixed term in the briefing's language: {{ r.impact | term('impact') }} "
    "(likelihood, confidence, impact, kind)",
    "css_string": "quote text as a CSS string, every special character escaped (for @page content)",
    "longdate": "an ISO date as '27 November 2026' (longdate(time=True) adds the UTC time); other text unchanged",
    "basename": "the last part of a path",
    "host": "the host name of a URL",
    "is http_url": "test: the text is an http(s) URL",
    "likelihoods, impacts": "the likelihood (ICD 203) and impact terms, in rising order",
    "cited_sentences(result)": "list of (number, sentence) cited by a result's briefing",
    "sentence_text(article, n)": "the text of sentence [Sn] of an article ('' when out of range)",
}


PROMPT_VARIABLES = {
    "audience": "who reads the briefing (--audience) [default: senior policy makers]",
    "language": "the language to write the briefing in, as the user typed it (--language) [default: English]",
    "length": "short, standard or long (--length) [default: standard]",
    "worked_example": "true when the prompt has room for the worked example (false under 6,000 context tokens)",
    "translate_quotes": "the language to translate quotes into, or '' when the article is already in it",
    "headline": "the article's headline (fence marks defanged)",
    "outlet": "the outlet that published it, or ''",
    "published": "the publication date as the article gives it, or ''",
    "numbered_sentences": "the article as '[S1] ...' lines, one per sentence",
    "n_sentences": "how many sentences the article has",
    "fence_open": "the line that opens the article (carries a random boundary)",
    "fence_close": "the line that closes the article",
    "field_guide": "the fields of the answer and what goes in each (from the JSON schema)",
    "article": "the whole article: title, source, outlet, author, published, sentences, names, quotations",
    "people": "the people the article names (for the actor list)",
    "bodies": "the states and bodies the article names",
    "vars": "your own variables from --var KEY=VALUE and [vars] in config.toml; each is also {{ KEY }}",
}


def check_variable_names(custom: dict[str, str]) -> None:
    """Refuse user variables that would hide a built-in prompt or output template variable."""
    builtin = {*PROMPT_VARIABLES, *(k.split("(")[0] for k in TEMPLATE_VARIABLES)}
    for name in custom:
        if name in builtin:
            raise ConfigError(
                f"variable {name!r} (--var or [vars]) would hide the built-in variable of that name",
                hint="choose another name; `briefing prompts show` lists the built-in ones",
            )
