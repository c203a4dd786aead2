"""`check_known`: a name the lead assigned documents to is known before it has opened anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.commands.common import CommandError, check_known
from annotator.model import Document
from annotator.store import Store


def test_an_assigned_annotator_needs_no_new_once_others_have_worked(db_path: Path) -> None:
    with Store(db_path) as store:
        store.import_batch([Document("d1", "t", "نص المقال"), Document("d2", "t", "نص آخر")], [], user="lead")
        store.add_span("d1", "ali", 0, 2, "actor", user="ali")  # ali has worked: the database knows a name
        store.save_place("d1", "ali", 0)
        with store.transaction() as conn:  # the lead's `annotator assign`, as the table holds it
            conn.executemany(
                "INSERT INTO assignments VALUES (?, ?, '2026-01-01T00:00:00', 'lead')", [("d1", "ali"), ("d2", "mona")]
            )
        check_known(store, "mona", new=False)  # assigned: no --new, no question
        check_known(store, "ali", new=False)
        with pytest.raises(CommandError, match=r"'sara' is not an annotator .*known: ali, mona\).*--new"):
            check_known(store, "sara", new=False)
        check_known(store, "sara", new=True)
