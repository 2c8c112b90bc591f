"""-f docx: the Word document opens with python-docx, with real headings, tables, resolvable citations and marks."""

from __future__ import annotations

import io
import json
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from briefing.digest_records import Digest
from briefing.output.docx import render_docx
from briefing.records import Check
from tests.conftest import hostile_result
from tests.sample_digest import DATE, build_sample_digest

SECTIONS = ["Summary", "Key judgments", "Key actors", "In their own words", "Risks", "Outlook", "Gaps", "Sources"]


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def headings(document) -> list[tuple[int, str]]:
    return [(int(p.style.name.split()[-1]), p.text) for p in document.paragraphs if p.style.name.startswith("Heading ")]


def anchors(document) -> list[str]:
    return [h.get(qn("w:anchor")) for h in document.element.body.iter(qn("w:hyperlink"))]


def bookmarks(document) -> dict[str, str]:
    """Bookmark name -> the text of the paragraph it marks."""
    found = {}
    for start in document.element.body.iter(qn("w:bookmarkStart")):
        paragraph = start.getparent()
        found[start.get(qn("w:name"))] = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
    return found


def table_with(document, first_header: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text == first_header)


def test_headings_in_order_bluf_box_tables_terms_and_marking(full_result):
    full_result.briefing.key_judgments[0].check = Check(status="unverified", notes=["not in the article"])
    document = open_docx(render_docx(full_result, classification="Official — Sensitive"))
    b = full_result.briefing
    assert headings(document) == [(1, b.title)] + [(3 if s == "In their own words" else 2, s) for s in SECTIONS]
    levels = [level for level, _ in headings(document)]
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:]))  # no skipped level

    box = document.tables[0]
    assert len(box.rows) == 1 and len(box.columns) == 1
    assert box.cell(0, 0).text.startswith("Bottom line up front. ") and b.bluf.replace("**", "") in box.cell(0, 0).text

    actors = table_with(document, "Actor")
    assert [c.text for c in actors.rows[0].cells] == ["Actor", "Kind", "Role", "Stance"]
    assert [r.cells[0].text.split(" [")[0] for r in actors.rows[1:]] == [a.name for a in b.key_actors]
    risks = table_with(document, "Risk")
    assert [c.text for c in risks.rows[0].cells] == ["Risk", "Likelihood", "Impact", "Timeframe", "Indicators to watch"]
    for row, risk in zip(risks.rows[1:], b.risks):
        assert row.cells[0].text.startswith(risk.title)
        assert [row.cells[1].text, row.cells[2].text, row.cells[3].text] == [
            risk.likelihood,
            risk.impact,
            risk.timeframe,
        ]

    judgments = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    for text, j in zip(judgments, b.key_judgments):
        assert f"{j.likelihood} (confidence: {j.confidence})" in text
    assert "[unverified]" in judgments[0] and "[weak sourcing]" in judgments[3]  # marks, as in the HTML
    body = "\n".join(p.text for p in document.paragraphs)
    assert "[weak sourcing]: the cited sentences do not mention" in body and "Grounding:" in body

    for section in document.sections:
        assert section.header.paragraphs[0].text == "Official — Sensitive"
        assert section.footer.paragraphs[0].text == "Official — Sensitive"


def test_every_citation_links_to_its_sentence_in_the_sources_section(full_result):
    document = open_docx(render_docx(full_result))
    marks = bookmarks(document)
    cited = anchors(document)
    assert cited and set(cited) <= set(marks)
    sentences = full_result.article.sentences
    for name, text in marks.items():
        n = int(name.removeprefix("S"))
        assert text == f"[S{n}] " + " ".join(sentences[n - 1].split())
    # Each item's own citations appear as its [Sn] links.
    first = next(p for p in document.paragraphs if p.style.name == "List Number")
    assert [h.get(qn("w:anchor")) for h in first._p.iter(qn("w:hyperlink"))] == [
        f"S{n}" for n in full_result.briefing.key_judgments[0].evidence
    ]


def test_a_hostile_article_gives_a_valid_document_with_its_text_as_text():
    result = hostile_result()
    controls = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\x7f\x85\ufffe\uffff\ud800"
    result.article.title = f"Korea{controls}talks"
    result.article.sentences[0] = f"Seoul{controls} <script>alert(1)</script> a sentence\r\nwith a break"
    result.briefing.bluf = f"BLUF{controls}**bold**"
    result.briefing.key_actors[0].name = f"Kim{controls}"
    result.briefing.risks[0].indicators = [f"sign{controls}"]
    result.model.note = f"note{controls}"
    data = render_docx(result, classification=f"Official{controls}")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        for name in z.namelist():
            if name.endswith(".xml"):
                etree.fromstring(z.read(name))  # well-formed XML, every part
    document = open_docx(data)
    box = document.tables[0].cell(0, 0)
    assert "BLUFbold" in box.text and any(r.bold and r.text == "bold" for r in box.paragraphs[0].runs)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "<script>alert(1)</script>" in text  # shown as the text it is; Word runs no script
    assert not set(text) & set(controls)
    assert document.sections[0].header.paragraphs[0].text == "Official"


@pytest.fixture(scope="module")
def sample_digest(tmp_path_factory):
    from tests.conftest import Cli, isolate_env
    from tests.llm_server import LLMServer

    folder = tmp_path_factory.mktemp("digest")
    with pytest.MonkeyPatch.context() as mp, LLMServer() as llm:
        isolate_env(mp, folder / "home")
        out = build_sample_digest(Cli(), llm, folder, "docx")
        yield out


def test_a_digest_has_its_cover_then_each_story_with_resolvable_links(sample_digest):
    saved = Digest.model_validate_json(next(sample_digest.glob(f"*-{DATE}.json")).read_text())
    document = docx.Document(str(next(sample_digest.glob(f"*-{DATE}.docx"))))
    found = headings(document)
    assert found[0][0] == 1 and found[1:4] == [(2, "Top lines"), (2, "Top risks"), (2, "What to watch today")]
    stories = [text for level, text in found if level == 2][3:]
    assert stories == [s.result.briefing.title for s in saved.stories] + ["Failed inputs"]
    marks = bookmarks(document)
    assert set(anchors(document)) <= set(marks)
    assert {f"story{s.number}" for s in saved.stories} <= set(marks)
    assert len(document.tables) >= 1 + 3 * len(saved.stories)  # top risks, then each story's box, actors, risks


def test_generate_and_render_write_docx_from_the_command_line(cli, llm, seed, tmp_path):
    result = cli("generate", seed, "-f", "docx", "-f", "json", "-o", f"{tmp_path}/", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    written = next(tmp_path.glob("*.docx"))
    saved = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert headings(docx.Document(str(written)))[0] == (1, saved["briefing"]["title"])
    again = cli("render", next(tmp_path.glob("*.json")), "-f", "docx", "-o", tmp_path / "again.docx")
    assert again.exit_code == 0, again.stderr
    assert headings(docx.Document(str(tmp_path / "again.docx"))) == headings(docx.Document(str(written)))
