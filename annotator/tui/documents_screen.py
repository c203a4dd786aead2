"""The articles screen: every article, its status and span count; Enter opens one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from annotator.model import GOLD
from annotator.store import Store, status_word
from annotator.text.display import display_line
from annotator.tui.arabic_keys import with_arabic_layout
from annotator.workspace import article_rows


class DocumentsScreen(ModalScreen[str | None]):
    """Choose an article."""

    BINDINGS: ClassVar[list[BindingType]] = with_arabic_layout(
        [
            Binding("escape,o", "close", "Back", id="articles.close"),
            Binding("enter", "open", "Open", show=True, id="articles.open"),
            Binding("d", "dashboard", "Dashboard", id="articles.dashboard"),
        ]
    )

    def __init__(self, store: Store, annotator: str, current: str, mode: str = "app") -> None:
        super().__init__()
        self.store = store
        self.annotator = annotator
        self.current = current
        self.mode = mode

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Articles — {display_line(self.annotator, 40, self.mode)}"), id="documents-title")
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "id", "status", "spans", "chars", "title")
        rows: list[tuple[str, list[Text], str]] = []
        # ⚑N beside the status: the annotator's open flags on the article (in review, everyone's)
        overview, flags = article_rows(self.store, None if self.annotator == GOLD else self.annotator)
        for i, doc in enumerate(overview, start=1):
            mine = doc["annotators"].get(self.annotator, {"status": None, "spans": 0})
            flagged = f" ⚑{flags[doc['id']]}" if doc["id"] in flags else ""
            cells = [  # Text, never str: DataTable would parse markup in a str
                Text(str(i)),
                Text(display_line(doc["id"], 40, self.mode)),
                Text(status_word(mine["status"]) + flagged),
                Text(str(mine["spans"])),
                Text(str(doc["length"])),
            ]
            rows.append((doc["id"], cells, doc["title"]))
        # The title gets the cells the other columns leave (each column has one cell of padding a side,
        # and the scrollbar two), so an Arabic title is cut by display_line at the end of its reading
        # order instead of running off the right edge, where it starts.
        used = sum(
            max([len(header)] + [cells[k].cell_len for _, cells, _ in rows]) + 2
            for k, header in enumerate(("#", "id", "status", "spans", "chars"))
        )
        width = max(8, self.size.width - used - 2 - 2 - 1)
        for i, (doc_id, cells, title) in enumerate(rows):
            table.add_row(*cells, Text(display_line(title, width, self.mode)), key=doc_id)
            if doc_id == self.current:
                table.move_cursor(row=i)
        table.focus()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self.dismiss(str(key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(str(event.row_key.value))

    def action_dashboard(self) -> None:
        """The lead's dashboard: progress, labels and agreement as bars, kept fresh."""
        from annotator.tui.dashboard_screen import DashboardScreen

        self.app.push_screen(DashboardScreen(self.store, mode=self.mode))

    def action_close(self) -> None:
        self.dismiss(None)
