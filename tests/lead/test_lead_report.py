"""`annotator report`: the HTML file parsed back: every chart there, nothing fetched from a network, Arabic logical."""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lead_demo import build

from annotator.cli import main
from annotator.store import Store

CHARTS = (
    "chart-progress",
    "chart-agreement-labels-entity",
    "chart-agreement-pairs-entity",
    "chart-kappa-entity",
    "chart-confusion-entity",
    "chart-labels",
    "chart-time",
)


class Page(HTMLParser):
    """What the test looks at: ids and what they hold, link targets, right-to-left texts."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.svg_in: dict[str, int] = {}
        self.texts_in: dict[str, list[str]] = {}
        self.links: list[str] = []
        self.rtl: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        for name in ("src", "href", "xlink:href", "action", "data"):
            if found.get(name):
                self.links.append(found[name] or "")
        if tag == "svg":
            for _, outer in self.stack:
                if outer.get("id", "").startswith("chart-"):  # type: ignore[union-attr]
                    self.svg_in[outer["id"]] = self.svg_in.get(outer["id"], 0) + 1  # type: ignore[index]
        if tag not in ("meta", "br", "img", "link", "path", "use", "rect", "circle", "line", "polyline", "stop"):
            self.stack.append((tag, found))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href", "xlink:href"):
            if found.get(name):
                self.links.append(found[name] or "")

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, attrs in self.stack:
            if attrs.get("dir") == "rtl":
                self.rtl.append(data)
                break
        for _, attrs in self.stack:
            if attrs.get("id", "").startswith("chart-"):  # type: ignore[union-attr]
                self.texts_in.setdefault(attrs["id"], []).append(data)  # type: ignore[index]


@contextmanager
def _no_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture
def project(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    with Store(db_path) as store:
        build(store, monkeypatch)
    monkeypatch.undo()
    return db_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_report_is_complete_and_self_contained(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.html"
    code, out, err = run(capsys, "report", "--db", str(project), "-o", str(target))
    assert code == 0, err
    assert out.startswith(f"{target}: report written")
    page_text = target.read_text(encoding="utf-8")
    page = Page()
    page.feed(page_text)
    for chart in CHARTS:
        assert page.svg_in.get(chart) == 1, chart
    for link in page.links:
        assert not link.startswith(("http://", "https://", "//")), link
        assert link.startswith(("#", "data:image/")), link  # only references inside the page
    assert "http://" not in page_text and "https://" not in page_text
    assert not {"script", "img", "link", "iframe"} & set(page.tags)
    # Arabic titles, in logical order, inside right-to-left elements; never the terminal's presentation forms
    with Store(project) as store:
        titles = {doc_id: title for doc_id, title, _ in store.document_list()}
    assert sorted(page.rtl) == sorted(titles.values())
    assert not any("\ufb50" <= ch <= "\ufeff" for ch in page_text)
    # the κ heatmap writes each pair's κ; the stats figures are those of `stats --json`
    code, out, _ = run(capsys, "agreement", "--db", str(project), "--json")
    pairs = json.loads(out)["layers"]["entity"]["pairs"]
    kappa_text = page.texts_in["chart-kappa-entity"]
    for pair in pairs:
        assert kappa_text.count(f"{pair['cohen_kappa']:.2f}") >= 2, pair  # both halves of the symmetric matrix
    code, out, _ = run(capsys, "stats", "--db", str(project), "--json")
    stats = json.loads(out)
    for name, entry in stats["annotators"].items():
        assert (
            f"<td>{name}</td><td>{entry['documents_done']}</td><td>{entry['documents_in_progress']}</td>"
            f"<td>{entry['spans']}</td>" in page_text
        )
    assert [p.name for p in tmp_path.iterdir() if p.name != project.name and not p.name.startswith(project.name)] == [
        "report.html"
    ]  # no temporary file left behind


def test_report_refuses_to_overwrite_and_names_the_extra(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.html"
    target.write_text("keep me", encoding="utf-8")
    code, out, err = run(capsys, "report", "--db", str(project), "-o", str(target))
    assert code == 1 and out == ""
    assert err == f"annotator: error: {target} exists; use --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "keep me"
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)  # as if matplotlib were not installed
    code, out, err = run(capsys, "report", "--db", str(project), "-o", str(target), "--force")
    assert code == 1 and out == ""
    assert err == "annotator: error: the report needs matplotlib: pip install 'annotator[report]'\n"
    assert target.read_text(encoding="utf-8") == "keep me"
    monkeypatch.undo()
    code, _, err = run(capsys, "report", "--db", str(project), "-o", str(target), "--force")
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    missing = tmp_path / "none.db"
    code, _, err = run(capsys, "report", "--db", str(missing), "-o", str(tmp_path / "x.html"))
    assert code == 1 and err == f"annotator: error: {missing}: no such database\n" and not missing.exists()


def test_report_of_a_project_without_agreement(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.model import Document

    with Store(db_path) as store:
        store.import_batch([Document("d1", "عنوان المقال", "قال السوداني إن داعش في الأنبار")], [], user="lead")
        store.add_span("d1", "ali", 4, 12, "actor", user="ali")
    target = tmp_path / "r.html"
    code, _, err = run(capsys, "report", "--db", str(db_path), "-o", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert "agreement needs at least two annotators with done documents (so far: nobody)" in text
    page = Page()
    page.feed(text)
    assert page.svg_in.get("chart-progress") == 1 and page.svg_in.get("chart-labels") == 1


def test_report_of_a_project_nobody_started(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.model import Document

    with Store(db_path) as store:
        store.import_batch([Document("d1", "عنوان المقال", "قال السوداني إن داعش في الأنبار")], [], user="lead")
    code, _, err = run(capsys, "report", "--db", str(db_path), "-o", str(tmp_path))
    assert code == 1 and err == f"annotator: error: {tmp_path} is a folder; name the file to write\n"
    target = tmp_path / "r.html"
    with _no_warnings():
        code, _, err = run(capsys, "report", "--db", str(db_path), "-o", str(target))
    assert code == 0 and err == ""
    text = target.read_text(encoding="utf-8")
    assert "No annotator has started yet." in text and "<svg" not in text
