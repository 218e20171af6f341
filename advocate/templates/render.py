"""Render letters: one sandboxed Jinja environment, the documented context, errors as FILE:LINE."""

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from advocate.errors import AdvocateError, TemplateProblem
from advocate.templates import greeting as salute
from advocate.templates import limits
from advocate.templates.letters import Letter

# The variables a letter may use (README "Template context"); `templates check` holds letters to it.
CONTEXT = {
    "sender": ("name", "address", "city", "postcode", "email"),
    "recipient": ("id", "name", "title", "salutation", "salutation_plain", "body", "country", "district", "state",
                  "party", "email", "phone", "contact_form", "postal", "language", "chamber", "office",
                  "office_title"),
    "date": (),
    "personal": (),
    "earlier": ("date", "subject", "template"),  # the earlier letter, for follow-ups ("" otherwise)
    "attendee": None,  # any CSV column
}  # fmt: skip
SAMPLE_SENDER = {"name": "Alex Doe", "address": "1 Example Street", "city": "Springfield", "postcode": "12345",
                 "email": "alex.doe@example.org"}  # fmt: skip


@cache
def environment() -> "LetterEnvironment":
    """The one environment for bundled and user letters alike: sandboxed (nothing can be changed
    through a variable), strict, plain text."""
    env = LetterEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        loader=jinja2.FunctionLoader(limits.find_included),
    )
    env.filters.update(limits.bounded_filters(env.filters))
    env.globals.update(limits.bounded_globals(env.globals["lipsum"]))
    return env


# A letter is a page or two; a template that makes more is a mistake or an attack on memory.
MAX_LETTER = 100_000  # characters of one rendered letter
MAX_VALUE = 10_000  # characters (or items) one `*` or `**` may make


class LetterEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, plus limits on every operation that can build gigabytes from one line
    (``{{ 'x' * 10**10 }}``, ``{{ '%*d' % (10**9, 1) }}``, ``{{ 'x'.center(10**9) }}``): see ``limits``."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            limits.check_power(left, right)
        elif operator == "*":
            limits.check_times(left, right, MAX_VALUE)
        elif operator == "%" and isinstance(left, str):
            limits.check_percent(left, right)
        return super().call_binop(context, operator, left, right)

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        limits.check_method(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


def sender_context(**given: str | None) -> dict[str, str]:
    return {key: (given.get(key) or "").strip() for key in CONTEXT["sender"] or ()}


def recipient_context(p: Mapping[str, Any], language: str) -> dict[str, Any]:
    channels = p.get("channels") or {}
    greeting = salute.salutation(p, language)
    return {
        "id": p["id"],
        "name": p["name"],
        "title": p.get("role") or "",
        "salutation": greeting + ",",
        "salutation_plain": greeting,
        "body": p.get("body") or "",
        "country": p.get("country") or "",
        "district": salute.place(p),
        "state": p.get("state") or "",
        "party": p.get("party") or "",
        "email": (channels.get("email") or {}).get("address") or "",
        "phone": channels.get("phone") or "",
        "contact_form": channels.get("contact_form") or "",
        "postal": list(channels.get("postal") or []),
        "language": language,
        "chamber": p.get("chamber") or "",
        "office": p.get("office") or "",
        "office_title": p.get("office_title") or "",
    }


class Columns(dict[str, str]):
    """An attendee's CSV columns: a column the row (or the command) does not have is empty, not an error
    (README: "extra CSV columns in batch use (empty otherwise)") — in write, preview and check too."""

    def __missing__(self, key: str) -> str:
        return ""


def context(
    letter: Letter,
    recipient: Mapping[str, Any],
    sender: dict[str, str],
    personal: str = "",
    attendee: dict[str, str] | None = None,
    recipient_ctx: dict[str, Any] | None = None,
    earlier: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The variables of one letter. ``recipient_ctx`` may be given when the caller has built it already."""
    return {
        "sender": sender,
        "recipient": recipient_ctx or recipient_context(recipient, letter.language),
        "date": letter_date(letter, recipient),
        "personal": personal.strip(),
        "attendee": Columns(attendee or {}),
        "earlier": {key: (earlier or {}).get(key, "") for key in ("date", "subject", "template")},
    }


def letter_date(letter: Letter, recipient: Mapping[str, Any]) -> str:
    """Today, written for the letter's language (and US style for a letter to the US)."""
    from advocate.opendata.store import today

    country = "US" if letter.us else recipient.get("country")
    return _date(today().isoformat(), letter.language, country if country != "CUSTOM" else None)


@cache
def _date(day: str, language: str, country: str | None) -> str:
    import datetime as dt

    return salute.format_date(dt.date.fromisoformat(day), language, country)


def _compiled(letter: Letter) -> tuple[jinja2.Template, jinja2.Template | str]:
    return _compile(str(letter.path), letter.body_line, letter.body, str(letter.meta["subject"]))


@cache
def _compile(path: str, body_line: int, body: str, subject: str) -> tuple[jinja2.Template, jinja2.Template | str]:
    env = environment()
    try:
        # Pad with newlines so Jinja's line numbers are the file's line numbers.
        compiled = env.from_string("\n" * (body_line - 1) + body)
    except jinja2.TemplateSyntaxError as err:
        line = _unclosed_block_line(body, body_line, err) or err.lineno
        raise TemplateProblem(f"{path}:{line}: {err.message}; check the {{% %}} and {{{{ }}}} pairs") from None
    except (RecursionError, MemoryError):
        raise TemplateProblem(f"{path}:{body_line}: the letter is nested too deeply to read") from None
    try:
        compiled_subject = env.from_string(subject)
    except jinja2.TemplateSyntaxError as err:
        raise TemplateProblem(f"{path}:{key_line(path, 'subject')}: subject: {err.message}") from None
    if "{" not in subject:  # plain text: nothing to render, thousands of times in a batch
        return compiled, " ".join(subject.split())
    return compiled, compiled_subject


def render(letter: Letter, ctx: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of one letter, under the limits of ``limits.bounded``. Any error names the file and line."""
    body_template, subject_template = _compiled(letter)
    try:
        with limits.bounded(letter.origin != "bundled"):
            body = _bounded(body_template, ctx, letter).lstrip("\n")
            if isinstance(subject_template, str):
                subject = subject_template
            else:
                subject = " ".join(subject_template.render(ctx).split())
    except Exception as err:  # noqa: BLE001 - a user's template can raise anything; each becomes one line
        raise problem(err, letter) from None
    return subject, body


def problem(err: BaseException, letter: Letter, where: str | None = None) -> AdvocateError:
    """One line for whatever a render raised: FILE:LINE and what to do."""
    if isinstance(err, AdvocateError):
        return err
    at = where or _where(err, letter)
    if isinstance(err, jinja2.TemplateSyntaxError) and err.filename:  # in a file the letter includes
        return TemplateProblem(f"{err.filename}:{err.lineno}: {err.message}")
    if isinstance(err, jinja2.UndefinedError):
        return TemplateProblem(f"{at}: {err.message}; {_hint()}")
    if isinstance(err, jinja2.TemplateNotFound):
        places = " or ".join(str(f) for f in limits.folders())
        return TemplateProblem(
            f"{at}: there is no file {err.name!r} to include in {places}; a letter may include, extend or "
            "import only files from the letters folders"
        )
    if isinstance(err, jinja2.exceptions.SecurityError):
        return TemplateProblem(f"{at}: not allowed in a letter: {err}")
    if isinstance(err, limits.RenderTimeout):
        return TemplateProblem(f"{at}: {err}")
    if isinstance(err, MemoryError):
        return TemplateProblem(
            f"{at}: the letter needs more than {limits.MEMORY // 2**20} MiB of memory; check its loops and filters"
        )
    if isinstance(err, RecursionError):
        return TemplateProblem(f"{at}: the letter calls itself without end (a macro, include or extends loop)")
    if isinstance(err, jinja2.TemplateError):
        return TemplateProblem(f"{at}: {getattr(err, 'message', None) or err}")
    text = str(err).strip().splitlines()
    detail = text[0][:200] if text else ""
    return TemplateProblem(f"{at}: {type(err).__name__}{': ' + detail if detail else ''}; check this line")


def _bounded(template: jinja2.Template, ctx: dict[str, Any], letter: Letter) -> str:
    """Render, but stop once the letter is longer than any letter should be."""
    parts, size = [], 0
    for chunk in template.generate(ctx):
        size += len(chunk)
        if size > MAX_LETTER:
            raise TemplateProblem(f"{letter.path}: the letter grew past {MAX_LETTER:,} characters; check its loops")
        parts.append(chunk)
    return "".join(parts)


def render_field(letter: Letter, ctx: dict[str, Any], key: str) -> str:
    """A front-matter text that may use letter variables (e.g. ``ask``), on one line; "" if absent."""
    text = letter.meta.get(key)
    if not text:
        return ""
    try:
        with limits.bounded(letter.origin != "bundled"):
            rendered = _field(str(letter.path), key, str(text)).render(ctx)
            if len(rendered) > MAX_LETTER:
                raise TemplateProblem(f"{letter.path}:{key_line(letter.path, key)}: {key} is too long")
            return " ".join(rendered.split())
    except Exception as err:  # noqa: BLE001 - as in render
        at = f"{letter.path}:{key_line(letter.path, key)}"
        found = problem(err, letter, at)
        if isinstance(err, jinja2.TemplateError) and not isinstance(err, jinja2.TemplateNotFound):
            found = TemplateProblem(f"{at}: {key}: {getattr(err, 'message', None) or err}")
        raise found from None


@cache
def _field(path: str, key: str, text: str) -> jinja2.Template:
    return environment().from_string(text)


_TAG = re.compile(r"\{%-?\s*(\w+)")
_BLOCKS = {"if", "for", "macro", "call", "filter", "set", "block", "with", "autoescape", "raw", "trans"}


def _unclosed_block_line(body: str, body_line: int, err: jinja2.TemplateSyntaxError) -> int | None:
    """For "unexpected end of template", the line where the block left open began (Jinja names the end)."""
    if "end of template" not in (err.message or "").lower():
        return None
    stack: list[tuple[str, int]] = []
    for number, text in enumerate(body.splitlines(), start=body_line):
        for match in _TAG.finditer(text):
            tag = match.group(1)
            if tag.startswith("end") and stack and stack[-1][0] == tag[3:]:
                stack.pop()
            elif tag in _BLOCKS and not (tag == "set" and "=" in text[match.end() :].split("%}")[0]):
                stack.append((tag, number))
    return stack[-1][1] if stack else None


def key_line(path: str | Path, key: str) -> int:
    """The line of ``key:`` in a letter's front matter (for errors in subject and ask), else 2."""
    try:
        for number, text in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            if text.startswith(f"{key}:"):
                return number
    except OSError:
        pass
    return 2


def _where(err: BaseException, letter: Letter) -> str:
    """FILE:LINE of the innermost template line an error was raised at (the letter, or a file it includes)."""
    tb = err.__traceback__
    where = f"{letter.path}:{letter.body_line}"
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name == "<template>":
            where = f"{letter.path}:{tb.tb_lineno}"
        elif not name.endswith(".py") and any(Path(name).is_relative_to(f) for f in limits.folders()):
            where = f"{name}:{tb.tb_lineno}"  # a file the letter includes
        tb = tb.tb_next
    return where


def _defined(tree: Any) -> set[str]:
    """Names a letter defines without a Name node: its macros, imports, and what Jinja gives loops and macros."""
    from jinja2 import nodes

    names = {m.name for m in tree.find_all(nodes.Macro)} | {i.target for i in tree.find_all(nodes.Import)}
    for imported in tree.find_all(nodes.FromImport):
        names |= {n[1] if isinstance(n, tuple) else n for n in imported.names}
    if any(True for _ in tree.find_all(nodes.For)):
        names.add("loop")
    if any(True for _ in tree.find_all(nodes.Macro)):
        names |= {"caller", "varargs", "kwargs"}
    if any(True for _ in tree.find_all(nodes.Block)):
        names |= {"self", "super"}
    return names


def _hint() -> str:
    names = ", ".join(f"{k}.{v}" for k, vs in CONTEXT.items() if vs for v in vs)
    return f"letters may use {names}, date, personal and attendee.<column>"


def check(letter: Letter) -> list[str]:
    """Problems of one letter as "FILE:LINE: message" lines: syntax, unknown variables, a trial render."""
    from jinja2 import nodes

    try:
        _compiled(letter)
    except TemplateProblem as err:
        return [str(err)]
    env = environment()
    problems = []
    sources: list[tuple[nodes.Template, int | None]] = [(env.parse("\n" * (letter.body_line - 1) + letter.body), None)]
    for key in ("subject", "ask"):  # front-matter texts that are rendered too
        if letter.meta.get(key):
            try:
                sources.append((env.parse(str(letter.meta[key])), key_line(letter.path, key)))
            except jinja2.TemplateSyntaxError as err:
                return [f"{letter.path}:{key_line(letter.path, key)}: {key}: {err.message}"]
    for tree, fixed_line in sources:
        local = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")} | _defined(tree)
        for n in tree.find_all(nodes.Name):
            if n.ctx == "load" and n.name not in CONTEXT and n.name not in local and n.name not in env.globals:
                problems.append((fixed_line or n.lineno, f"'{n.name}' is not a letter variable; {_hint()}"))
        for g in tree.find_all(nodes.Getattr):
            if isinstance(g.node, nodes.Name) and g.node.name in ("sender", "recipient"):
                allowed = CONTEXT[g.node.name] or ()
                if g.attr not in allowed:
                    problems.append(
                        (
                            fixed_line or g.lineno,
                            f"'{g.node.name}.{g.attr}' is unknown; {g.node.name} has {', '.join(allowed)}",
                        )
                    )
    if not problems:
        sample = {"id": "sample", "name": "Sam Sample", "role": "Representative", "country": "CUSTOM", "channels": {}}
        for personal in ("", "A paragraph of my own."):
            try:
                ctx = context(letter, sample, sender_context(**SAMPLE_SENDER), personal)
                render(letter, ctx)
                render_field(letter, ctx, "ask")
            except TemplateProblem as err:
                return [str(err)]
    return [f"{letter.path}:{line}: {message}" for line, message in sorted(set(problems))]
