"""Printable HTML for a batch: each letter on pages of its own, with the recipient in the envelope window.

The page geometry lives in the HTML itself (``@page { margin: 0 }``, the margins as padding inside each
page), so a browser's default print settings give the right result and print no header or footer (date,
title, ``file://`` path). The recipient's address sits where a window envelope shows it: DIN 5008 form B
(45 mm from the top, 20 mm from the left) on A4, the US #10 window (2 1/8 in from the top, 7/8 in from the
left) on Letter. A letter too long for one page is split here, by an estimate on the safe side, onto
further pages headed with the sender's name and "page 2/2"; the signature block is never split.
"""

import math
from html import escape

from advocate.drafts.draft import RE, Draft
from advocate.drafts.text import dateline, postal_lines, sender_lines

SIGN = {"en": "Signature", "de": "Unterschrift", "fr": "Signature"}
PAGE_WORD = {"en": "page", "de": "Seite", "fr": "page"}

LINE_MM = 10 * 1.24 * 25.4 / 72  # 10pt type at line-height 1.24
# An average character of DejaVu Serif 10pt with word wrap, as Chromium sets the bundled letters (1.96 mm),
# plus 5% to be safe (Georgia, elsewhere, is narrower)
CHAR_MM = 2.05
PARA_MM = 2.0  # the space after a paragraph


class Paper:
    """One paper size: its page, the padding inside it, the window position, where the letter text runs."""

    def __init__(self, size: str, width: float, height: float, window: tuple[float, float, float, float]) -> None:
        self.size, self.width, self.height = size, width, height
        self.top, self.right, self.bottom, self.left = 12.0, 20.0, 14.0, 25.0
        self.window = window  # top, left, width, height (mm)
        self.text_width = width - self.left - self.right

    def flow_top(self, address_lines: int) -> float:
        """Where the subject starts: below the recipient's address (never above the window's foot on Letter)."""
        return self.window[0] + max(address_lines, 3) * LINE_MM + 7.0

    def capacity(self, flow_top: float | None) -> float:
        """mm of letter text a page holds (the first below the address, a later one below its heading)."""
        return self.height - self.bottom - (flow_top if flow_top is not None else self.top + 12.0)


PAPERS = {
    "A4": Paper("210mm 297mm", 210.0, 297.0, (45.0, 20.0, 85.0, 45.0)),  # DIN 5008 form B
    "Letter": Paper("8.5in 11in", 215.9, 279.4, (54.0, 22.2, 89.0, 28.6)),  # US #10 window envelope
}


def html_head(paper: str) -> str:
    p = PAPERS.get(paper, PAPERS["A4"])
    top, left, width, _ = p.window
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Letters</title>
<style>
@page {{ size: {p.size}; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font: 10pt/1.24 "DejaVu Serif", Georgia, serif; color: #000; }}
.page {{ position: relative; box-sizing: border-box; width: {p.width}mm; min-height: {p.height - 0.5}mm;
         padding: {p.top}mm {p.right}mm {p.bottom}mm {p.left}mm;
         break-after: page; page-break-after: always; }}
article.letter:last-of-type .page:last-child {{ break-after: auto; page-break-after: auto; }}
.sender {{ position: absolute; top: {p.top}mm; right: {p.right}mm; width: 80mm; text-align: right;
           white-space: pre-line; }}
.recipient {{ position: absolute; top: {top}mm; left: {left}mm; width: {width}mm; white-space: pre-line; }}
.date {{ position: absolute; top: {top}mm; right: {p.right}mm; text-align: right; }}
.running {{ border-bottom: 1px solid #000; padding-bottom: 1mm; margin-bottom: 6mm; display: flex;
            justify-content: space-between; }}
.subject {{ font-weight: bold; margin-bottom: 3mm; }}
.body p {{ margin: 0 0 {PARA_MM}mm; white-space: pre-line; }}
.closing {{ break-inside: avoid; }}
.signature {{ margin-top: 11mm; border-top: 1px solid #000; width: 60mm; padding-top: 1mm;
              font-size: 8pt; color: #444; margin-bottom: 1mm; }}
@media screen {{ body {{ background: #eee; }}
  .page {{ margin: 10mm auto; background: #fff; box-shadow: 0 0 3px #999; }} }}
</style>
</head>
<body>
"""


def html_tail() -> str:
    return "</body>\n</html>\n"


def _lines(text: str, per_line: int) -> int:
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))


def _split(text: str, lines: int, per_line: int) -> tuple[str, str]:
    """The first ``lines`` lines' worth of ``text`` (cut at a space) and the rest."""
    src = text.split("\n")
    taken: list[str] = []
    left = lines
    for k, line in enumerate(src):
        need = max(1, math.ceil(len(line) / per_line))
        if need <= left:
            taken.append(line)
            left -= need
            continue
        cut = line.rfind(" ", 0, left * per_line - per_line // 4) if left > 0 else -1
        if cut <= 0:
            return "\n".join(taken), "\n".join(src[k:])
        taken.append(line[:cut])
        return "\n".join(taken), "\n".join([line[cut + 1 :], *src[k + 1 :]])
    return text, ""


def paginate(blocks: list[tuple[str, str]], paper: Paper, first_room: float) -> list[list[tuple[str, str]]]:
    """Blocks (kind, text) onto pages; "p" blocks may be split between pages, "closing" never."""
    per_line = max(20, int(paper.text_width / CHAR_MM))
    pages: list[list[tuple[str, str]]] = [[]]
    room = first_room
    queue = list(blocks)
    while queue:
        kind, text = queue.pop(0)
        lines = _lines(text, per_line) + (4 if kind == "closing" else 0)  # the gap and the line to sign on
        height = lines * LINE_MM + PARA_MM
        if height <= room or (not pages[-1] and kind == "closing"):
            pages[-1].append((kind, text))
            room -= height
            continue
        fits = int((room - PARA_MM) / LINE_MM)
        if kind == "p" and fits >= 2 and lines > 3:
            head, tail = _split(text, fits, per_line)
            if head and tail:
                pages[-1].append((kind, head))
                queue.insert(0, (kind, tail))
                pages.append([])
                room = paper.capacity(None)
                continue
        if not pages[-1]:  # taller than a whole page: it goes on one and the browser breaks it
            pages[-1].append((kind, text))
            room = 0
            continue
        queue.insert(0, (kind, text))
        pages.append([])
        room = paper.capacity(None)
    return pages


def _blocks(d: Draft, body: str) -> list[tuple[str, str]]:
    """The body's paragraphs, with the closing (the words before the signed name, the name and what follows
    it) as one block: the same signature layout in every language."""
    name = d.sender["name"].strip()
    paragraphs = [p.strip() for p in body.strip().split("\n\n") if p.strip()]
    for i in range(len(paragraphs) - 1, -1, -1):
        lines = paragraphs[i].split("\n")
        if name and name in (line.strip() for line in lines):
            at = max(j for j, line in enumerate(lines) if line.strip() == name)
            before = "\n".join(lines[:at])
            after = "\n".join(lines[at:] + [q for p in paragraphs[i + 1 :] for q in ("", p)])
            if not before and i > 0 and len(paragraphs[i - 1]) < 300:
                before, i = paragraphs[i - 1], i - 1  # French: the closing formula is its own paragraph
            return [("p", p) for p in paragraphs[:i]] + [("closing", f"{before}\x00{after}")]
    return [("p", p) for p in paragraphs] + [("closing", "\x00")]


def _closing(text: str, language: str) -> str:
    before, _, after = text.partition("\x00")
    return (
        '<div class="closing">\n'
        + (f"<p>{escape(before)}</p>\n" if before else "")
        + f'<div class="signature">{SIGN.get(language, "Signature")}</div>\n'
        + (f"<p>{escape(after)}</p>\n" if after else "")
        + "</div>"
    )


def html_letter(d: Draft, paper: str = "A4") -> tuple[str, int]:
    """One letter as an <article> of one or more pages, and its number of pages; every text is escaped."""
    p = PAPERS.get(paper, PAPERS["A4"])
    subject = RE.get(d.language, "") + d.subject
    per_line = max(20, int(p.text_width / CHAR_MM))
    postal = postal_lines(d)
    flow_top = p.flow_top(len(postal))
    used = _lines(subject, per_line) * LINE_MM + 3.0  # the subject and the space below it
    date, body = dateline(d)
    pages = paginate(_blocks(d, body), p, p.capacity(flow_top) - used)
    total = len(pages)
    out = [f'<article class="letter" lang="{escape(d.language)}">\n']
    word = PAGE_WORD.get(d.language, "page")
    for number, blocks in enumerate(pages, 1):
        out.append('<section class="page">\n')
        if number == 1:
            out.append(f'<div class="sender">{escape(chr(10).join(sender_lines(d)))}</div>\n')
            out.append(f'<div class="recipient">{escape(chr(10).join(postal))}</div>\n')
            out.append(f'<div class="date">{escape(date)}</div>\n')
            out.append(f'<div class="flow" style="margin-top: {flow_top - p.top:.1f}mm">\n')
            out.append(f'<div class="subject">{escape(subject)}</div>\n')
        else:
            out.append('<div class="continued">\n')
            out.append(
                f'<div class="running"><span>{escape(d.sender["name"])}</span>'
                f"<span>{word} {number}/{total}</span></div>\n"
            )
        out.append('<div class="body">\n')
        for kind, text in blocks:
            out.append(_closing(text, d.language) + "\n" if kind == "closing" else f"<p>{escape(text)}</p>\n")
        out.append("</div>\n</div>\n</section>\n")
    out.append("</article>\n")
    return "".join(out), total
