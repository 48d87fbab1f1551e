"""Word and PDF input: the seed speeches saved as .docx (python-docx) and as
PDF (fpdf2 with a CJK font) give the same facts as the .txt; scans, corrupt
packages and old binary formats are skipped with a one-line reason."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.build import build_workspace
from kgraph.cli import app
from kgraph.errors import InputError
from kgraph.ingest import iter_input_files, read_file
from kgraph.pipeline import process_file, to_contract

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "data" / "speeches").glob("*.txt"))
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _cjk_font() -> tuple[str, int]:
    """A Simplified Chinese font file and its index in a collection (fontconfig)."""
    fc = shutil.which("fc-match")
    path = ""
    if fc:
        path = subprocess.run(
            [fc, "-f", "%{file}", ":lang=zh-cn"], capture_output=True, text=True
        ).stdout.strip()
    if (
        not path
        or not Path(path).is_file()
        or "cjk" not in path.lower()
        and "wqy" not in path.lower()
    ):
        message = "no CJK font for the PDF fixtures: run scripts/install-test-deps (fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not path.lower().endswith(".ttc"):
        return path, 0
    from fontTools.ttLib import TTCollection

    names = [f["name"].getDebugName(1) or "" for f in TTCollection(path).fonts]
    return path, next((i for i, n in enumerate(names) if n.endswith(" SC")), 0)


def save_docx(text: str, out: Path) -> Path:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.save(out)
    return out


def save_pdf(text: str, out: Path, font: tuple[str, int]) -> Path:
    """One paragraph per line, wrapped by fpdf2 at the A4 text width."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=font[0], collection_font_number=font[1])
    pdf.set_font("cjk", size=11)
    pdf.add_page()
    for line in text.split("\n"):
        if line.strip():
            pdf.multi_cell(0, 7, line.strip(), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(out))
    return out


def save_scan(out: Path) -> Path:
    """A PDF whose page is only a picture of lines of 'text' (no text layer)."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    for y in range(60, 740, 24):
        draw.rectangle((50, y, 550 - (y * 7) % 120, y + 12), fill="black")
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(buf, x=10, y=10, w=190)
    pdf.output(str(out))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The five seeds as .txt, .docx and .pdf, in one directory."""
    font = _cjk_font()
    root = tmp_path_factory.mktemp("formats")
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        shutil.copy(seed, root / seed.name)
        save_docx(text, root / f"{seed.stem}.docx")
        save_pdf(text, root / f"{seed.stem}.pdf", font)
    return root


def facts(path: Path) -> dict[str, list]:
    c = to_contract(process_file(path))
    return {
        "officials": sorted((o["name"], o["title"]) for o in c["officials"]),
        "duties": sorted(
            {
                (r["holder"], r["responsibility"], r["sector"] or "")
                for r in c["responsibilities"]
            }
        ),
        "sectors": sorted(c["sectors"]),
        "organizations": sorted(c["organizations"]),
        "chains": sorted({(r["from"], r["to"], r["kind"]) for r in c["chains"]}),
    }


@pytest.mark.parametrize("seed", [s.stem for s in SEEDS])
def test_docx_and_pdf_give_the_same_facts_as_txt(corpus, seed):
    expected = facts(corpus / f"{seed}.txt")
    assert expected["duties"] and expected["sectors"]
    for suffix in (".docx", ".pdf"):
        assert facts(corpus / f"{seed}{suffix}") == expected, suffix


def test_pdf_lines_are_joined_into_the_paragraphs_of_the_source(corpus):
    seed = SEEDS[1]
    paragraphs = [
        ln.strip() for ln in seed.read_text(encoding="utf-8").split("\n") if ln.strip()
    ]
    raw = read_file(corpus / f"{seed.stem}.pdf")
    assert raw.encoding == "pdf"
    assert raw.text.split("\n") == paragraphs


def test_docx_reads_tables_in_document_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("安全生产责任清单")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "责任单位", "职责"
    table.cell(1, 0).text, table.cell(1, 1).text = (
        "应急管理局",
        "负责危险化学品安全监管",
    )
    document.add_paragraph("各部门要认真落实。")
    document.save(tmp_path / "list.docx")
    raw = read_file(tmp_path / "list.docx")
    assert raw.text.split("\n") == [
        "安全生产责任清单",
        "责任单位 职责",
        "应急管理局 负责危险化学品安全监管",
        "各部门要认真落实。",
    ]
    assert raw.encoding == "docx"


def test_xlsx_duty_list_one_line_per_row(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["责任单位", "安全生产职责", None])
    sheet.append(["应急管理局", "负责危险化学品安全监督管理", 3])
    sheet.append([None, None, None])
    book.create_sheet("第二页").append(["住建局", "负责城镇燃气安全监管"])
    book.save(tmp_path / "责任清单.xlsx")
    raw = read_file(tmp_path / "责任清单.xlsx")
    assert raw.encoding == "xlsx"
    assert raw.text.split("\n") == [
        "责任单位 安全生产职责",
        "应急管理局 负责危险化学品安全监督管理 3",
        "住建局 负责城镇燃气安全监管",
    ]


def test_scanned_pdf_is_refused_in_one_line(tmp_path):
    with pytest.raises(InputError) as err:
        read_file(save_scan(tmp_path / "scan.pdf"))
    assert (
        "no text layer" in str(err.value)
        and "OCR" in str(err.value)
        and "\n" not in str(err.value)
    )


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("broken.docx", b"PK\x03\x04" + bytes(range(256)) * 4, "not a readable .docx"),
        ("notzip.docx", "这不是一个Word文件".encode(), "not a readable .docx"),
        ("broken.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 4, "not a readable PDF"),
        ("old.doc", OLE_HEADER + bytes(2048), "save it as .docx"),
        ("minutes.wps", OLE_HEADER + bytes(2048), "WPS"),
        ("list.xlsx", b"PK\x03\x04 cut short", "not a readable .xlsx"),
        ("slides.pptx", b"PK\x03\x04", "slides are not read"),
        ("old.xls", OLE_HEADER + bytes(512), "save the sheet as .xlsx"),
    ],
)
def test_unreadable_documents_one_line_error(tmp_path, name, data, words):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError) as err:
        read_file(tmp_path / name)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_doc_that_is_really_docx_or_html_is_read(tmp_path):
    text = SEEDS[2].read_text(encoding="utf-8")
    save_docx(text, tmp_path / "renamed.doc")
    assert read_file(tmp_path / "renamed.doc").text == text
    (tmp_path / "web.doc").write_text(
        f"<html><body><p>{text.splitlines()[0]}</p></body></html>", encoding="utf-8"
    )
    assert read_file(tmp_path / "web.doc").text == text.splitlines()[0]


def test_directory_build_reads_word_and_pdf_and_lists_what_it_skipped(corpus, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(corpus, folder)
    save_scan(folder / "通报扫描件.pdf")
    (folder / "讲话稿.docx").write_bytes(b"PK\x03\x04 truncated")
    (folder / "会议纪要.wps").write_bytes(OLE_HEADER + bytes(1024))
    (folder / "旧文件.doc").write_bytes(
        OLE_HEADER + bytes(1023) + b"\x01"
    )  # not a byte copy of the .wps
    (folder / "汇报.pptx").write_bytes(b"PK\x03\x04")
    files = {p.name for p in iter_input_files(folder)}
    assert {f"{s.stem}{x}" for s in SEEDS for x in (".txt", ".docx", ".pdf")} <= files

    report = build_workspace([folder], tmp_path / "ws", jobs=1)
    assert len(report.processed) == 3 * len(SEEDS)
    reasons = {Path(p).name: e for p, e in report.skipped}
    assert set(reasons) == {
        "通报扫描件.pdf",
        "讲话稿.docx",
        "会议纪要.wps",
        "旧文件.doc",
        "汇报.pptx",
    }
    assert "slides are not read" in reasons["汇报.pptx"]
    assert "no text layer" in reasons["通报扫描件.pdf"]
    assert "not a readable .docx" in reasons["讲话稿.docx"]
    assert (
        "save it as .docx" in reasons["会议纪要.wps"]
        and "save it as .docx" in reasons["旧文件.doc"]
    )

    runner = CliRunner()
    result = runner.invoke(
        app, ["build", str(folder), "-o", str(tmp_path / "ws2"), "-j", "1", "--strict"]
    )
    assert result.exit_code == 1
    assert "5 file(s) skipped" in result.output and "会议纪要.wps" in result.output
