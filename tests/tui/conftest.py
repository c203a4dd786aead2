"""Fixtures for Pilot tests of the screens."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.model import Document
from annotator.store import Store
from annotator.tui.run import build_app

# Two paragraphs: Arabic with a number and a Latin name, then a short one.
TEXT = "قال السوداني إن داعش في الأنبار خسر 15 عنصراً أمام NBC News اليوم\nوأكد المسؤولون ذلك"
DOCS = [
    Document("a1", "الأول", TEXT),
    Document("a2", "الثاني", "نص المقال الثاني هنا"),
    Document("a3", "الثالث", "نص ثالث"),
]


@pytest.fixture
def small_store(tmp_path: Path) -> Store:
    """Three short articles."""
    store = Store(tmp_path / "tui.db")
    store.import_batch(DOCS, [], user="lead")
    yield store
    store.close()


@pytest.fixture
def make_app(small_store: Store):
    """Build the app for user ali on the small store."""

    def make(**kwargs):
        return build_app(small_store, user=kwargs.pop("user", "ali"), **kwargs)

    return make


@pytest.fixture(autouse=True)
def no_user_keymap(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app reads the user's keymap file: tests see none unless they write one (test_keymap.py)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))
    monkeypatch.delenv("ANNOTATOR_KEYMAP", raising=False)
