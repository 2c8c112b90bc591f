"""Effective settings: flags beat environment beat config file beat defaults, each with its source. [disk]

The user folder (BRIEFING_HOME, default the platform's config folder) holds `config.toml`, user
`prompts/` and `templates/`, and the `cache/` of results and the joined model file. Nothing in it is
ever written by an upgrade. `briefing doctor` prints `Settings.describe()`.

config.toml holds defaults and named profiles (`--profile minister` or BRIEFING_PROFILE); a profile
overrides the defaults, the environment overrides both, flags override everything:

    [defaults]
    audience = "senior policy makers"
    language = "English"
    prompts_dirs = ["house-prompts"]      # relative to BRIEFING_HOME; searched before the user folder

    [defaults.vars]                       # your own template variables, like --var KEY=VALUE
    desk = "Asia desk"

    [profiles.minister]
    model = "gpt-4o"
    base_url = "https://llm.example.org/v1"
    prompt = "executive"
    template = "compact"
    audience = "the minister"
    output_dir = "~/briefings"
    archive = false                       # record nothing in BRIEFING_HOME/archive.db (like --no-archive)

Any setting in _FIELDS may appear in either table; an unknown key is an error, not silence. The
[smtp] and [briefs.NAME] tables (e-mail and named briefs) are checked by deliver/config.py.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from briefing.deliver.config import BriefConfig, SmtpConfig, check_delivery_tables, parse_brief, parse_smtp
from briefing.errors import ConfigError
from briefing.redact import redact_url

PACKAGE_DIR = Path(__file__).resolve().parent
OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_REMOTE_MODEL = "gpt-4o-mini"

# name -> (default, environment variable or None, type)
_FIELDS: dict[str, tuple[object, str | None, type]] = {
    "base_url": (None, "OPENAI_BASE_URL", str),
    "model": (None, "BRIEFING_MODEL", str),
    "local": (False, None, bool),
    "local_model": ("default", "BRIEFING_LOCAL_MODEL", str),
    "timeout": (None, "BRIEFING_TIMEOUT", float),
    "max_retries": (2, "BRIEFING_MAX_RETRIES", int),
    "reasks": (2, None, int),
    "max_tokens": (None, "BRIEFING_MAX_TOKENS", int),
    "context_tokens": (None, "BRIEFING_CONTEXT_TOKENS", int),
    "temperature": (0.2, None, float),
    "prompt": ("policy", "BRIEFING_PROMPT", str),
    "template": (None, "BRIEFING_TEMPLATE", str),
    "audience": ("senior policy makers", None, str),
    "language": ("English", None, str),
    "length": ("standard", None, str),
    "strict": (False, None, bool),
    "output_dir": (None, None, str),
    "concurrency": (None, "BRIEFING_CONCURRENCY", int),
    "classification": (None, None, str),
    "prefix_cache": (True, None, bool),
    "speculative": ("off", "BRIEFING_SPECULATIVE", str),  # off, ngram, draft (llm/embedded.py SPECULATIVE)
    "archive": (True, "BRIEFING_ARCHIVE", bool),
    "story_window_days": (14, None, int),
}
DEFAULTS: dict[str, object] = {name: default for name, (default, _, _) in _FIELDS.items()}
LENGTHS = ("short", "standard", "long")
SPECULATIVE = ("off", "ngram", "draft")  # = llm/embedded.py SPECULATIVE (settings does not import llm/)
CONFIG_FILE = "config.toml"
# Keys a [defaults] or [profiles.NAME] table may hold besides the settings above.
_TABLE_KEYS = ("vars", "prompts_dirs", "templates_dirs")


@dataclass
class Settings:
    """What a run will use, and where each value came from."""

    home: Path
    values: dict[str, object]
    sources: dict[str, str]
    api_key: str | None = None
    api_key_source: str = "not set"
    prompts_dirs: list[Path] = field(default_factory=list)
    templates_dirs: list[Path] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    profile: str | None = None
    config_prompts_dirs: list[Path] = field(default_factory=list)
    config_templates_dirs: list[Path] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)
    smtp: SmtpConfig | None = None
    briefs: dict[str, BriefConfig] = field(default_factory=dict)

    def __getattr__(self, name: str):
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)

    @property
    def embedded(self) -> bool:
        """True when the embedded local model serves this run."""
        if self.values["local"]:
            return True
        return not (self.values["base_url"] or self.api_key or self.values["model"])

    @property
    def endpoint(self) -> str:
        """The base URL of the remote endpoint (OpenAI's when only a key is given)."""
        return str(self.values["base_url"] or OPENAI_BASE_URL)

    def describe_endpoint(self) -> str:
        """The endpoint for display: credentials and query stripped."""
        return redact_url(self.endpoint)

    @property
    def remote_model(self) -> str:
        return str(self.values["model"] or DEFAULT_REMOTE_MODEL)

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def config_path(self) -> Path:
        return self.home / CONFIG_FILE

    def prompt_search_path(self) -> tuple[list[Path], list[str]]:
        """Folders searched for prompts, in order, with a label for each."""
        return _search_path(
            [(d, "--prompts-dir") for d in self.prompts_dirs] + [(d, "config") for d in self.config_prompts_dirs],
            self.home / "prompts",
            "prompts",
        )

    def template_search_path(self) -> tuple[list[Path], list[str]]:
        """Folders searched for output templates, in order, with a label for each."""
        return _search_path(
            [(d, "--templates-dir") for d in self.templates_dirs] + [(d, "config") for d in self.config_templates_dirs],
            self.home / "templates",
            "templates",
        )

    def describe(self) -> list[tuple[str, str, str]]:
        """(setting, value, source) rows for `briefing doctor`; the key is never shown."""
        rows = [("home", str(self.home), self.sources.get("home", "default"))]
        if self.profile:
            rows.append(("profile", self.profile, self.sources.get("profile", "flag")))
        for name in _FIELDS:
            rows.append((name, _show(self.values[name]), self.sources[name]))
        rows.append(("api_key", "set (hidden)" if self.api_key else "not set", self.api_key_source))
        for k, v in sorted(self.variables.items()):
            rows.append((f"var.{k}", v, self.sources.get(f"var.{k}", "flag")))
        return rows


def builtin_dir(kind: str) -> Path:
    """The built-in `prompts` or `templates` folder: inside the wheel, or the checkout's top level."""
    inside = PACKAGE_DIR / kind
    return inside if inside.is_dir() else PACKAGE_DIR.parent / kind


def default_home(env: dict[str, str] | None = None) -> Path:
    """BRIEFING_HOME, or the platform's per-user config folder."""
    env = dict(os.environ) if env is None else env
    if env.get("BRIEFING_HOME"):
        return Path(env["BRIEFING_HOME"]).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("briefing", appauthor=False))


def load_settings(
    flags: dict[str, object] | None = None,
    *,
    profile: str | None = None,
    prompts_dirs: list[Path] | None = None,
    templates_dirs: list[Path] | None = None,
    variables: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
) -> Settings:
    """Resolve every setting from flags (None means not given), environment, config and defaults."""
    env = dict(os.environ if env is None else env)
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    home = default_home(env)
    config_path = home / CONFIG_FILE
    config = _load_config(config_path)
    profile_source = "flag" if profile else "env BRIEFING_PROFILE"
    profile = profile or env.get("BRIEFING_PROFILE") or None
    profiles = config.get("profiles", {})
    layers: list[tuple[str, dict]] = [("config [defaults]", config.get("defaults", {}))]
    if profile:
        if profile not in profiles:
            known = ", ".join(sorted(profiles)) or "none defined"
            raise ConfigError(f"unknown profile {profile!r} in {config_path} (known: {known})")
        layers.append((f"config [profiles.{profile}]", profiles[profile]))

    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    for name, (default, env_name, kind) in _FIELDS.items():
        value, source = default, "default"
        for label, layer in layers:
            if name in layer:
                value, source = _coerce(name, layer[name], kind, label), label
        if env_name and env.get(env_name):
            value, source = _coerce(name, env[env_name], kind, f"env {env_name}"), f"env {env_name}"
        if name in flags:
            value, source = flags[name], "flag"
        values[name] = value
        sources[name] = source
    if values["length"] not in LENGTHS:
        raise ConfigError(f"length must be one of {', '.join(LENGTHS)}, not {values['length']!r}")
    if values["speculative"] not in SPECULATIVE:
        raise ConfigError(f"speculative must be one of {', '.join(SPECULATIVE)}, not {values['speculative']!r}")
    _check_values(values, sources)

    merged_vars: dict[str, str] = {}
    for label, layer in layers:
        for k, v in dict(layer.get("vars", {})).items():
            merged_vars[k] = str(v)
            sources[f"var.{k}"] = label
    merged_vars.update(variables or {})

    # Later layers (the profile) come first: they are the more specific choice.
    config_prompts = [_config_dir(home, p) for _, layer in reversed(layers) for p in layer.get("prompts_dirs", [])]
    config_templates = [_config_dir(home, p) for _, layer in reversed(layers) for p in layer.get("templates_dirs", [])]
    key = env.get("OPENAI_API_KEY") or None
    extra_sources = {"home": "env BRIEFING_HOME" if env.get("BRIEFING_HOME") else "default"}
    if profile:
        extra_sources["profile"] = profile_source
    return Settings(
        home=home,
        values=values,
        sources=sources | extra_sources,
        api_key=key,
        api_key_source="env OPENAI_API_KEY" if key else "not set",
        prompts_dirs=list(prompts_dirs or []),
        templates_dirs=list(templates_dirs or []),
        variables=merged_vars,
        profile=profile,
        config_prompts_dirs=config_prompts,
        config_templates_dirs=config_templates,
        profiles=sorted(profiles),
        smtp=parse_smtp(config_path, config["smtp"]) if "smtp" in config else None,
        briefs={name: parse_brief(config_path, name, table) for name, table in config.get("briefs", {}).items()},
    )


def _search_path(first: list[tuple[Path, str]], user_dir: Path, kind: str) -> tuple[list[Path], list[str]]:
    dirs = [d for d, _ in first] + [user_dir, builtin_dir(kind)]
    labels = [label for _, label in first] + ["user folder", "built-in"]
    return dirs, labels


def _config_dir(home: Path, value: str) -> Path:
    """A folder named in config.toml: ~ expanded, relative paths taken from BRIEFING_HOME."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else home / path


def _load_config(path: Path) -> dict:
    """Read config.toml and refuse what it cannot mean: unknown tables and keys, wrong shapes."""
    if not path.is_file():
        return {}
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    _check_keys(path, "top level", config, ("defaults", "profiles", "smtp", "briefs"))
    check_delivery_tables(path, config)
    tables = [("[defaults]", config.get("defaults", {}))]
    profiles = config.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}: profiles must be tables, like [profiles.minister]")
    tables += [(f"[profiles.{name}]", table) for name, table in profiles.items()]
    for where, table in tables:
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {where} must be a table of settings")
        _check_keys(path, where, table, (*_FIELDS, *_TABLE_KEYS))
        if not isinstance(table.get("vars", {}), dict):
            raise ConfigError(f"{path}: vars in {where} must be a table, like [{where[1:-1]}.vars]")
        for key in ("prompts_dirs", "templates_dirs"):
            value = table.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f'{path}: {key} in {where} must be a list of folders, like ["~/prompts"]')
    return config


def _check_keys(path: Path, where: str, table: dict, known: tuple[str, ...]) -> None:
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
            raise ConfigError(f"{path}: unknown setting {key!r} in {where}", hint=hint)


_KIND_NAMES = {int: "a whole number", float: "a number", str: "text", bool: "true or false"}
# Numbers a request cannot be made with (a negative retry count, a zero timeout): name -> (test, rule).
_LIMITS = {
    "timeout": (lambda v: v > 0, "more than 0 seconds"),
    "max_retries": (lambda v: v >= 0, "0 or more"),
    "reasks": (lambda v: v >= 0, "0 or more"),
    "max_tokens": (lambda v: v >= 1, "at least 1"),
    "context_tokens": (lambda v: v >= 1, "at least 1"),
    "concurrency": (lambda v: v >= 1, "at least 1"),
    "temperature": (lambda v: 0 <= v <= 2, "between 0 and 2"),
    "story_window_days": (lambda v: v >= 1, "at least 1"),
}


def _check_values(values: dict[str, object], sources: dict[str, str]) -> None:
    """Refuse values no request can be made with, naming where each came from."""

    def where(name: str) -> str:
        return f"--{name.replace('_', '-')}" if sources[name] == "flag" else f"{name} from {sources[name]}"

    for name, (valid, rule) in _LIMITS.items():
        if values[name] is not None and not valid(values[name]):
            raise ConfigError(f"{where(name)} must be {rule}, not {values[name]}")
    url = values["base_url"]
    if url:
        try:
            parts = urlsplit(str(url))
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"{where('base_url')} is not an http(s) URL: {redact_url(str(url))!r}",
                hint="e.g. http://localhost:8080/v1",
            )


def _coerce(name: str, value: object, kind: type, source: str) -> object:
    if kind is bool and isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} from {source} must be {_KIND_NAMES[kind]}, not {value!r}") from None


def _show(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return redact_url(value)
    return str(value)
