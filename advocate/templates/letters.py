"""Letter templates: find them (user folder over bundled), read their front matter, check them.

A letter file is ``<name>.<variant>.j2`` (or ``<name>.j2``): YAML front matter between ``---``
lines, then a Jinja body. A file in the user's letters folder replaces the bundled file of the
same file name; new names in the user folder are new letters.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advocate.errors import TemplateProblem
from advocate.resources import bundled, user_letters_dir

SUFFIX = ".j2"
REQUIRED = ("name", "title", "description", "language", "suits", "subject")
LANGUAGES = ("en", "de", "fr")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Letter:
    """One template file: a variant (language/country) of a named letter."""

    path: Path
    origin: str  # "bundled" or "user"
    meta: dict[str, Any]
    body: str
    body_line: int  # line number in the file where the body starts (1-based)

    @property
    def name(self) -> str:
        return str(self.meta["name"])

    @property
    def variant(self) -> str:
        return self.path.name[: -len(SUFFIX)]

    @property
    def language(self) -> str:
        return str(self.meta["language"])

    @property
    def us(self) -> bool:
        """The US variant (``*.en-us.j2``): US dates, the sender's town before the ZIP — the one test of it."""
        return self.variant.endswith("-us")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, line where the body starts). Errors name the file and line."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise TemplateProblem(f"{path}:1: a letter starts with front matter between '---' lines")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise TemplateProblem(f"{path}:1: the front matter has no closing '---' line") from None
    meta = parse_front_matter("".join(lines[1:end]), path)
    if not isinstance(meta, dict):
        raise TemplateProblem(f"{path}:2: front matter must be key: value pairs")
    missing = [key for key in REQUIRED if key not in meta]
    if missing:
        raise TemplateProblem(f"{path}:2: front matter lacks {', '.join(missing)}")
    if meta["language"] not in LANGUAGES:
        raise TemplateProblem(f"{path}:2: language {meta['language']!r} is not one of {', '.join(LANGUAGES)}")
    if not isinstance(meta["suits"], list) or not all(isinstance(s, dict) for s in meta["suits"]):
        raise TemplateProblem(f"{path}:2: suits must be a list like [{{country: US}}]")
    if not _NAME.match(str(meta["name"])) or not path.name.startswith(f"{meta['name']}."):
        raise TemplateProblem(f"{path}:2: name {meta['name']!r} must be lowercase-dashed and begin the file name")
    return meta, "".join(lines[end + 1 :]), end + 2


def parse_front_matter(text: str, path: Path) -> Any:
    """YAML front matter, through a small cache keyed by the text's hash: importing and running
    PyYAML costs more than the rest of `advocate write` together, and letters rarely change."""
    import hashlib

    key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    cache = _meta_cache()
    if key in cache:
        return cache[key]
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        if "*" in text:  # an alias can only be written with '*': look for one before building anything
            refuse_aliases(text, path, loader)
        meta = yaml.load(text, Loader=loader) or {}  # noqa: S506 - safe loader
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise TemplateProblem(f"{path}:{line}: front matter is not valid YAML: {problem}") from None
    cache[key] = meta
    _save_meta_cache(cache)
    return meta


def refuse_aliases(text: str, path: Path, loader: Any) -> None:
    """A front matter with a YAML alias (``*name``) is refused: aliases are how a few lines of YAML become
    billions of values ("billion laughs"), and a letter's front matter has no need of them."""
    import yaml

    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 2 if event.start_mark is not None else 2
            raise TemplateProblem(
                f"{path}:{line}: front matter uses a YAML alias (*{event.anchor}); write the value out instead"
            )


_CACHE: dict[str, Any] = {}


def _cache_file() -> Path:
    from advocate.resources import user_cache_dir

    return user_cache_dir() / "front-matter.json"


def _meta_cache() -> dict[str, Any]:
    if not _CACHE:
        import json

        try:
            loaded = json.loads(_cache_file().read_bytes())
            if isinstance(loaded, dict):
                _CACHE.update(loaded)
        except (OSError, ValueError):
            pass
        _CACHE.setdefault("", None)  # mark as loaded
    return _CACHE


def _save_meta_cache(cache: dict[str, Any]) -> None:
    """Best effort: a cache that cannot be written only costs time."""
    import json

    from advocate.atomic import write_atomic
    from advocate.errors import AdvocateError

    try:
        data = {k: v for k, v in cache.items() if k}
        write_atomic(_cache_file(), json.dumps(data, ensure_ascii=False, default=str).encode("utf-8"), force=True)
    except (AdvocateError, OSError, TypeError, ValueError):
        pass


def read(path: Path, origin: str) -> Letter:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise TemplateProblem(f"{path}: not UTF-8 (byte {err.start}); save the file as UTF-8") from None
    except OSError as err:
        raise TemplateProblem(f"{path}: cannot read ({err.strerror})") from None
    meta, body, line = split_front_matter(text, path)
    return Letter(path, origin, meta, body, line)


def files() -> dict[str, tuple[Path, str]]:
    """File name → (path, origin), the user's files replacing bundled ones of the same name."""
    found = {p.name: (p, "bundled") for p in sorted(bundled("letters").glob(f"*{SUFFIX}"))}
    user = user_letters_dir()
    if user.is_dir():
        found.update({p.name: (p, "user") for p in sorted(user.glob(f"*{SUFFIX}"))})
    return found


def all_letters() -> list[Letter]:
    return [read(path, origin) for path, origin in files().values()]


def readable_letters() -> tuple[list[Letter], list[str]]:
    """Every letter that can be read, and a FILE:LINE problem line for each that cannot (one broken user
    letter does not hide the others)."""
    found, problems = [], []
    for path, origin in files().values():
        try:
            found.append(read(path, origin))
        except TemplateProblem as problem:
            problems.append(str(problem))
    return found, problems


def family(name: str) -> list[Letter]:
    letters = [read(path, origin) for fname, (path, origin) in files().items() if fname.startswith(f"{name}.")]
    letters = [letter for letter in letters if letter.name == name]
    if not letters:
        known = sorted({letter.name for letter in all_letters()})
        raise TemplateProblem(
            f"no letter called {name!r}; choose one of: {', '.join(known)} (`advocate templates list`)"
        )
    return letters


def suits(letter: Letter, recipient: Mapping[str, Any]) -> bool:
    """Whether a letter variant is meant for this recipient (country, id, chamber, or a custom one)."""
    for rule in letter.meta["suits"]:
        if rule.get("custom"):
            if recipient.get("country") == "CUSTOM":
                return True
            continue
        if all(str(recipient.get(key, "")).upper() == str(value).upper() for key, value in rule.items()):
            return True
    return False


def pick(
    name: str, recipient: Mapping[str, Any], language: str | None = None, letters: list[Letter] | None = None
) -> Letter:
    """The variant of letter ``name`` for this recipient; a custom recipient takes ``language`` (or English).

    ``letters`` is the family when the caller has read it already (a batch picks thousands of times).
    """
    letters = letters if letters is not None else family(name)
    if recipient.get("country") == "CUSTOM":
        custom = [x for x in letters if suits(x, recipient)] or letters
        by_language = [x for x in custom if x.language == (language or "en")]
        if by_language:
            return by_language[0]
        if language:
            have = ", ".join(sorted({x.language for x in custom}))
            raise TemplateProblem(f"letter {name!r} has no {language!r} version; it has: {have}")
        return custom[0]
    fitting = [x for x in letters if suits(x, recipient)]
    if language:
        fitting = [x for x in fitting if x.language == language] or fitting
    if not fitting:
        raise TemplateProblem(
            f"letter {name!r} is not meant for {recipient['name']} ({recipient['country']}); "
            f"see `advocate templates list` for the letters that fit"
        )
    return fitting[0]


def variants(name: str) -> list[Letter]:
    """The files of a letter (``crackdown``) or one of them (``crackdown.de``)."""
    if "." in name:
        found = [x for x in family(name.split(".")[0]) if x.variant == name]
        if not found:
            raise TemplateProblem(f"no letter file {name}.j2; see `advocate templates list`")
        return found
    return family(name)


def families(letters: list[Letter]) -> dict[str, list[Letter]]:
    """Letters grouped by name, in the order given."""
    grouped: dict[str, list[Letter]] = {}
    for x in letters:
        grouped.setdefault(x.name, []).append(x)
    return grouped


def kind(letter: Letter) -> str:
    """What tells a variant from its siblings: ``de``, ``en-us``… (the language when nothing else does)."""
    return letter.variant.removeprefix(letter.name).lstrip(".") or letter.language


def as_json(letter: Letter) -> dict[str, Any]:
    """One letter as `templates list --json` shows it (schema in the README)."""
    return {
        "name": letter.name,
        "variant": letter.variant,
        "language": letter.language,
        "origin": letter.origin,
        "title": letter.meta["title"],
        "description": letter.meta["description"],
        "suits": letter.meta["suits"],
        "path": str(letter.path),
    }


def suits_text(letters: list[Letter]) -> str:
    """Whom the variants of a letter are meant for, in words: "lawmakers (DE bundestag, US house)",
    "interior ministry (DE, GB)", "icc-otp", "anyone in the DE data"."""
    groups: dict[str, list[str]] = {}
    for letter in letters:
        for rule in letter.meta["suits"]:
            cc = str(rule.get("country", "")).upper()
            if rule.get("custom"):
                key, item = "anyone you name (--to-name)", ""
            elif rule.get("id"):
                key, item = "ids", str(rule["id"])
            elif rule.get("chamber"):
                key, item = "lawmakers", f"{cc} {rule['chamber']}".strip()
            elif rule.get("office"):
                key, item = str(rule["office"]).replace("_", " "), cc
            elif set(rule) == {"country"}:
                key, item = "anyone in the data", cc
            else:
                key, item = "other", ", ".join(f"{k} {v}" for k, v in rule.items())
            items = groups.setdefault(key, [])
            if item and item not in items:
                items.append(item)
    parts = []
    for key, items in groups.items():
        if key == "ids":
            parts += items
        elif key == "other":
            parts += items
        else:
            parts.append(f"{key} ({', '.join(items)})" if items else key)
    return "; ".join(parts)
