"""HTML, XML and PDF readers: structure, offsets into the rendered text, and clear
errors that name the file."""

from __future__ import annotations

import pytest

from qharmony.ingest.readers import ReaderError, read_source

EURLEX = """<!DOCTYPE html><html><head><title>Regulation (EU) 2021/821</title>
<style>p { color: red }</style><script>var x = "Article 99";</script></head>
<body><nav>Home &gt; Legislation</nav>
<p class="oj-ti-art">Article 9</p>
<p class="oj-normal">A Member State may prohibit or impose an authorisation requirement on the
export of dual-use items not listed in Annex I.</p>
<h2>4A906 Quantum computers</h2>
<p>a. Quantum computers supporting 34 or more physical qubits;</p>
<p>b. Cryogenic CMOS integrated circuits rated for 4.5 K or colder.</p>
</body></html>"""

FEDREG = """<?xml version="1.0" encoding="UTF-8"?>
<RULE><PREAMB><AGENCY TYPE="S">Bureau of Industry and Security, Commerce.</AGENCY>
<CFR>15 CFR Parts 740 and 774</CFR><SUBJECT>Implementation of Controls on Advanced Technologies</SUBJECT>
<EFFDATE><HD SOURCE="HED">DATES:</HD><P>This rule is effective September 6, 2024.</P></EFFDATE></PREAMB>
<SUPLINF><HD SOURCE="HD1">4A906 Quantum computers</HD>
<P>a.1. Supporting 34 or more, but fewer than 100, physical qubits and a C-NOT error of 1e-4 or less;</P>
</SUPLINF></RULE>"""


def _pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a text layer, written by hand."""
    content = "BT /F1 11 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = "%PDF-1.4\n", []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


def _kinds(source):
    return [(b.kind, source.block_text(b)[:30]) for b in source.blocks]


def test_html_keeps_structure_and_drops_scripts(tmp_path):
    path = tmp_path / "eurlex.html"
    path.write_text(EURLEX, encoding="utf-8")
    source = read_source(path)
    kinds = _kinds(source)
    assert ("heading", "Article 9") in kinds and ("heading", "4A906 Quantum computers") in kinds
    assert ("item", "Quantum computers supporting 3") in kinds
    assert "Article 99" not in source.text and "Home" not in source.text
    block = next(b for b in source.blocks if b.kind == "item")
    assert source.text[block.start : block.end].startswith("Quantum computers supporting 34")


def test_federal_register_xml_reads_as_the_printed_rule(tmp_path):
    """Captions lead their paragraphs ("AGENCY: ...", "DATES: ...") as in the printed
    text, so one genre reader understands both; the CFR parts line is a line, not the
    rule's citation."""
    path = tmp_path / "rule.xml"
    path.write_text(FEDREG, encoding="utf-8")
    source = read_source(path)
    lines = source.text.splitlines()
    assert "AGENCY: Bureau of Industry and Security, Commerce." in lines
    assert "DATES: This rule is effective September 6, 2024." in lines
    assert "15 CFR Parts 740 and 774" in lines
    assert not source.fields.get("citation")
    assert ("heading", "4A906 Quantum computers") in _kinds(source)
    assert any(b.kind == "item" and b.label == "a.1" for b in source.blocks)


def test_pdf_text_layer_is_read(tmp_path):
    path = tmp_path / "order.pdf"
    path.write_bytes(_pdf(["Article 3", "Quantum computers with 34 or more qubits are controlled."]))
    source = read_source(path)
    assert "34 or more qubits" in source.text
    assert ("heading", "Article 3") in _kinds(source)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken.xml", b"<RULE><P>unclosed</RULE>", "not well-formed XML at line 1"),
        ("broken.pdf", b"%PDF-1.4 this is not a pdf", "cannot read the PDF"),
        ("empty.html", b"<html><script>x</script></html>", "no visible text"),
    ],
)
def test_bad_markup_is_rejected_with_file_and_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReaderError, match=reason) as err:
        read_source(path)
    assert name in str(err.value)
