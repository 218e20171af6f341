"""One printable HTML file for a batch: each letter on its own page, postal layout, a signature line."""

from html import escape

from advocate.drafts.draft import RE, Draft
from advocate.drafts.text import dates_itself, letter_date, postal_lines, sender_lines

PAPER = {"A4": "210mm 297mm", "Letter": "8.5in 11in"}
SIGN = {"en": "Signature", "de": "Unterschrift", "fr": "Signature"}


def html_head(paper: str) -> str:
    size = PAPER.get(paper, PAPER["A4"])
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Letters</title>
<style>
@page {{ size: {size}; margin: 14mm 17mm 12mm 19mm; }}
body {{ margin: 0; font: 10pt/1.26 Georgia, "DejaVu Serif", serif; color: #000; }}
article.letter {{ break-after: page; page-break-after: always; }}
article.letter:last-of-type {{ break-after: auto; page-break-after: auto; }}
.sender {{ text-align: right; white-space: pre-line; margin-bottom: 4mm; }}
.date {{ text-align: right; margin-bottom: 4mm; }}
.recipient {{ white-space: pre-line; margin-bottom: 6mm; }}
.subject {{ font-weight: bold; margin-bottom: 3mm; }}
.body p {{ margin: 0 0 2mm; white-space: pre-line; }}
.signature {{ margin-top: 11mm; border-top: 1px solid #000; width: 60mm; padding-top: 1mm;
              font-size: 8pt; color: #444; }}
@media screen {{ article.letter {{ max-width: 170mm; margin: 10mm auto; padding: 10mm; box-shadow: 0 0 3px #999; }} }}
</style>
</head>
<body>
"""


def html_tail() -> str:
    return "</body>\n</html>\n"


def html_letter(d: Draft) -> str:
    """One letter as an <article>; every text from a CSV or the data is escaped."""
    s = d.sender
    sender = "\n".join(sender_lines(d))
    postal = "\n".join(postal_lines(d))
    paragraphs = [p.strip() for p in d.body.strip().split("\n\n") if p.strip()]
    closing = ""
    if paragraphs and f"\n{s['name']}" in paragraphs[-1]:
        # room to sign between the closing ("Sincerely,") and the typed name
        before, _, after = paragraphs.pop().rpartition(f"\n{s['name']}")
        closing = (
            f'<p>{escape(before)}</p>\n<div class="signature">{SIGN.get(d.language, "Signature")}</div>\n'
            f"<p>{escape(s['name'] + after)}</p>"
        )
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs) + (f"\n{closing}" if closing else "")
    return (
        f'<article class="letter" lang="{escape(d.language)}">\n'
        f'<div class="sender">{escape(sender)}</div>\n'
        + ("" if dates_itself(d) else f'<div class="date">{escape(letter_date(d))}</div>\n')
        + f'<div class="recipient">{escape(postal)}</div>\n'
        f'<div class="subject">{escape(RE.get(d.language, "") + d.subject)}</div>\n'
        f'<div class="body">\n{body}\n</div>\n'
        + ("" if closing else f'<div class="signature">{SIGN.get(d.language, "Signature")}</div>\n')
        + "</article>\n"
    )
