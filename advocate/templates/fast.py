"""Render thousands of letters fast: once per recipient, with the attendee's values filled in after.

A batch renders the same letter for the same lawmaker again and again; only the sender's values,
the personal paragraph and the attendee's extra columns change. When a template uses those values
only in ways that plain substitution reproduces exactly — printed as they are (``{{ sender.name }}``),
tested for being empty (``{% if personal %}``, ``not``, ``and``, ``or``), or joined
(``[sender.postcode, sender.city] | select | join(" ")``) — the letter is rendered once per
recipient and per pattern of empty and non-empty values, with a marker in place of each value,
and each attendee's letter is that text with the markers replaced. Any other use (a filter such as
``upper``, a comparison, a loop) makes ``compile_letter`` return None and the caller renders every
letter in full. Tests hold the two ways equal.
"""

import re
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from jinja2 import nodes

from advocate.templates import render
from advocate.templates.letters import Letter

CACHED = 1024  # skeletons kept (a few KiB each)
Value = tuple[str, str]  # ("sender", "name"), ("personal", ""), ("attendee", "Table")
_MARK = re.compile("\x00(\\d+)\x00")


def _value(node: nodes.Node) -> Value | None:
    """The per-attendee value a node stands for, if it is one."""
    if isinstance(node, nodes.Name) and node.name == "personal":
        return ("personal", "")
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
        if node.node.name in ("sender", "attendee"):
            return (node.node.name, node.attr)
    if isinstance(node, nodes.Getitem) and isinstance(node.node, nodes.Name) and isinstance(node.arg, nodes.Const):
        if node.node.name in ("sender", "attendee") and isinstance(node.arg.value, str):
            return (node.node.name, node.arg.value)
    return None


def _test_ok(node: nodes.Node, used: set[Value]) -> bool:
    """An if-test made only of values, not, and, or (and anything not per-attendee)."""
    if (v := _value(node)) is not None:
        used.add(v)
        return True
    if isinstance(node, nodes.Not):
        return _test_ok(node.node, used)
    if isinstance(node, nodes.And | nodes.Or):
        return _test_ok(node.left, used) and _test_ok(node.right, used)
    return not _mentions(node)


def _join_ok(node: nodes.Node, used: set[Value]) -> bool:
    """``[v, v, …] | select | join("…")`` with values or constants in the list."""
    if not (isinstance(node, nodes.Filter) and node.name == "join" and len(node.args) <= 1 and not node.kwargs):
        return False
    if node.args and not isinstance(node.args[0], nodes.Const):
        return False
    inner = node.node
    if not (isinstance(inner, nodes.Filter) and inner.name == "select" and not inner.args and not inner.kwargs):
        return False
    if not isinstance(inner.node, nodes.List):
        return False
    for item in inner.node.items:
        v = _value(item)
        if v is None and not isinstance(item, nodes.Const):
            return False
        if v is not None:
            used.add(v)
    return True


def _mentions(node: nodes.Node) -> bool:
    return any(n.name in ("sender", "personal", "attendee") for n in node.find_all(nodes.Name)) or (
        isinstance(node, nodes.Name) and node.name in ("sender", "personal", "attendee")
    )


def _allowed(tree: nodes.Template, used: set[Value]) -> bool:
    """Whether every per-attendee value in ``tree`` is used in a way substitution reproduces."""
    allowed_nodes: set[int] = set()
    for out in tree.find_all(nodes.Output):
        for child in out.nodes:
            if (v := _value(child)) is not None:
                used.add(v)
                allowed_nodes.add(id(child))
            elif _join_ok(child, used):
                allowed_nodes.add(id(child))
    for cond in tree.find_all(nodes.If):
        if not _test_ok(cond.test, used):
            return False
        allowed_nodes.add(id(cond.test))
    for node in tree.find_all(nodes.Name):
        if node.name not in ("sender", "personal", "attendee"):
            continue
        if not any(_covers(allowed, node) for allowed in _allowed_roots(tree, allowed_nodes)):
            return False
    return True


def _allowed_roots(tree: nodes.Template, ids: set[int]) -> list[nodes.Node]:
    return [n for n in tree.find_all(nodes.Node) if id(n) in ids]


def _covers(root: nodes.Node, target: nodes.Node) -> bool:
    return root is target or any(n is target for n in root.find_all(nodes.Name))


class Compiled:
    """A letter whose per-attendee values can be filled in by substitution."""

    def __init__(self, letter: Letter, used: list[Value]) -> None:
        self.letter, self.used = letter, used
        self.cache: OrderedDict[tuple[Any, ...], tuple[list[str | int], list[str | int]]] = OrderedDict()

    def render(self, ctx: dict[str, Any]) -> tuple[str, str]:
        values = [self._get(ctx, v) for v in self.used]
        return self.fill(ctx["recipient"]["id"], ctx["date"], values, lambda: ctx)

    def values(self, sender: dict[str, str], personal: str, attendee: dict[str, str]) -> list[str | None]:
        """The values this letter uses, taken straight from a row (no context dict needed)."""
        out: list[str | None] = []
        for kind, key in self.used:
            if kind == "personal":
                out.append(personal.strip())
            else:
                value = (sender if kind == "sender" else attendee).get(key)
                out.append(value if isinstance(value, str) else None)
        return out

    def fill(
        self, recipient_id: str, date: str, values: list[str | None], make_ctx: Callable[[], dict[str, Any]]
    ) -> tuple[str, str]:
        """(subject, body): the cached skeleton for this recipient with ``values`` filled in.

        ``make_ctx`` builds the full context; it is called only to render a new skeleton, or when a value
        is missing or holds the marker character, in which case the letter is rendered in full.
        """
        if any(v is None or "\x00" in v for v in values):
            return render.render(self.letter, make_ctx())  # a missing column or an odd value: the full way
        key = (recipient_id, date, *(bool(v) for v in values))
        pieces = self.cache.get(key)
        if pieces is None:
            pieces = self.cache[key] = self._skeleton(make_ctx(), values)
            if len(self.cache) > CACHED:  # memory must not grow with the rows of a batch
                self.cache.popitem(last=False)
        subject_pieces, body_pieces = pieces
        fill = [v or "" for v in values]
        return _join(subject_pieces, fill), _join(body_pieces, fill)

    @staticmethod
    def _get(ctx: dict[str, Any], v: Value) -> str | None:
        kind, key = v
        if kind == "personal":
            value = ctx["personal"]
        else:
            value = ctx[kind].get(key)
        return value if isinstance(value, str) else None

    def _skeleton(self, ctx: dict[str, Any], values: list[str | None]) -> tuple[list[str | int], list[str | int]]:
        marked = {**ctx, "sender": dict(ctx["sender"]), "attendee": dict(ctx["attendee"])}
        for index, (v, value) in enumerate(zip(self.used, values, strict=True)):
            mark = f"\x00{index}\x00" if value else ""
            kind, key = v
            if kind == "personal":
                marked["personal"] = mark
            else:
                marked[kind][key] = mark
        subject, body = render.render(self.letter, marked)
        return _split(subject), _split(body)


def _split(text: str) -> list[str | int]:
    parts: list[str | int] = []
    last = 0
    for match in _MARK.finditer(text):
        parts += [text[last : match.start()], int(match.group(1))]
        last = match.end()
    parts.append(text[last:])
    return parts


def _join(pieces: list[str | int], fill: list[str]) -> str:
    return "".join(p if isinstance(p, str) else fill[p] for p in pieces)


def compile_letter(letter: Letter) -> Compiled | None:
    """A substitution renderer for ``letter``, or None when its use of attendee values needs Jinja."""
    env = render.environment()
    used: set[Value] = set()
    for source in (letter.body, str(letter.meta["subject"])):
        if not _allowed(env.parse(source), used):
            return None
    return Compiled(letter, sorted(used))
