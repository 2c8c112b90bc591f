"""The pieces of a Word document python-docx has no call for: safe text, bookmarks, links, boxes. Pure.

Article and model text is untrusted: XML 1.0 forbids most control characters, and python-docx
refuses a string holding one, so every string goes through `xml_safe` before it reaches the
document. Citations are internal hyperlinks (`w:hyperlink w:anchor`) to bookmarks on the Sources
entries, which Word follows with Ctrl+click and shows in the navigation of the document.
"""

from __future__ import annotations

import re

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

# C0 controls but tab and newline, C1 controls, lone surrogates and the two non-characters XML forbids.
_XML_INVALID = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_INLINE = re.compile(r"\*\*(?P<bold>[^*\n]+)\*\*|\[(?P<label>[^\]\n]+)\]\((?P<url>[^)\s]+)\)")
ACCENT = RGBColor(0x0B, 0x3D, 0x6E)
WEAK = RGBColor(0x8A, 0x53, 0x00)
UNVERIFIED = RGBColor(0xA4, 0x0E, 0x26)
VERIFIED = RGBColor(0x11, 0x63, 0x29)
MUTED = RGBColor(0x57, 0x60, 0x6A)


def xml_safe(text: object) -> str:
    """`text` with every character XML 1.0 cannot carry removed (a carriage return becomes a newline)."""
    return _XML_INVALID.sub("", str(text if text is not None else "").replace("\r\n", "\n").replace("\r", "\n"))


def plain(text: object) -> str:
    """One line of untrusted text: XML-safe, whitespace squeezed."""
    return " ".join(xml_safe(text).split())


def add_inline(paragraph, text: object, *, bold: bool = False) -> None:
    """Model text with its light Markdown: **bold** becomes bold, [label](http...) becomes 'label (url)'."""
    text = plain(text)
    at = 0
    for match in _INLINE.finditer(text):
        if match.start() > at:
            paragraph.add_run(text[at : match.start()]).bold = bold or None
        if match.group("bold"):
            paragraph.add_run(match.group("bold")).bold = True
        else:
            url = match.group("url")
            shown = f"{match.group('label')} ({url})" if url.lower().startswith(("http://", "https://")) else None
            paragraph.add_run(shown or match.group("label")).bold = bold or None
        at = match.end()
    if at < len(text):
        paragraph.add_run(text[at:]).bold = bold or None


def add_link(paragraph, text: str, anchor: str) -> None:
    """A superscript reference `text` that jumps to the bookmark `anchor` (a citation [S3])."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run = paragraph.add_run(text)
    run.font.superscript = True
    run.font.color.rgb = ACCENT
    link.append(run._r)  # moves the run out of the paragraph, into the link
    paragraph._p.append(link)


def add_bookmark(paragraph, name: str, number: int) -> None:
    """Mark the whole of `paragraph` as bookmark `name` (the target of citations)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def add_mark(paragraph, check, labels: dict) -> None:
    """The visible mark of a weak or unverified item, as in every other output."""
    status = getattr(check, "status", None)
    if status in ("weak", "unverified"):
        run = paragraph.add_run(f" [{labels[status]}]")
        run.bold = True
        run.font.color.rgb = WEAK if status == "weak" else UNVERIFIED


def shade(cell, fill: str) -> None:
    """Give a table cell a background colour (hex, e.g. 'EEF4FA')."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def add_box(document, label: str, text: object):
    """The BLUF box: a shaded one-cell table with a bold lead-in, so it stays a box when edited."""
    table = document.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    cell = table.cell(0, 0)
    shade(cell, "EEF4FA")
    paragraph = cell.paragraphs[0]
    lead = paragraph.add_run(f"{plain(label)}. ")
    lead.bold = True
    lead.font.color.rgb = ACCENT
    add_inline(paragraph, text)
    for run in paragraph.runs:
        run.font.size = Pt(12)
    document.add_paragraph()
    return table


def add_table(document, header: list[str], rows: list[list]) -> object:
    """A table with a bold, shaded, repeating header row; a cell is text or a function filling its paragraph."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header):
        shade(cell, "F3F4F6")
        cell.paragraphs[0].add_run(plain(title)).bold = True
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            if callable(value):
                value(cell.paragraphs[0])
            else:
                cell.paragraphs[0].add_run(plain(value))
    document.add_paragraph()
    return table


def _repeat_header(row) -> None:
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def set_marking(document, marking: str | None) -> None:
    """The distribution marking, centred and bold, in the header and footer of every page."""
    if not marking:
        return
    for section in document.sections:
        for part in (section.header, section.footer):
            paragraph = part.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(plain(marking))
            run.bold = True
            run.font.color.rgb = UNVERIFIED


def muted(paragraph, text: object) -> None:
    """Small grey text (notes, metadata)."""
    run = paragraph.add_run(plain(text))
    run.font.size = Pt(9)
    run.font.color.rgb = MUTED
