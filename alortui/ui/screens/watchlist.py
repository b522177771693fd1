"""The default screen: named watchlists and the keys that edit them.

Showing, streaming and background data are :class:`~.watchlist_view.WatchlistView`'s; this
class adds switching, adding, removing (after a question), reordering, moving, import/export
and the column chooser. Every edit is posted upward for the app to save.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual.binding import Binding, BindingType

from alortui.models import InstrumentKey
from alortui.ui.formatting import clean_text
from alortui.ui.messages import ColumnsChanged, WatchlistsChanged
from alortui.ui.screens.add_instrument import AddInstrumentScreen
from alortui.ui.screens.column_chooser import ColumnChooserScreen
from alortui.ui.screens.confirm import ConfirmScreen
from alortui.ui.screens.watchlist_io import ExportScreen, ImportScreen, export_text
from alortui.ui.screens.watchlist_view import WatchlistView


class WatchlistScreen(WatchlistView):
    """Named watchlists to switch between and edit; the active one streams its quotes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "switch(1)", "Next list"),
        Binding("left_square_bracket", "switch(-1)", "Prev list", show=False),
        *(Binding(str(n), f"switch_to({n - 1})", f"List {n}", show=False) for n in range(1, 10)),
        Binding("a", "add", "Add"),
        Binding("d", "remove", "Remove", show=False),
        Binding("m", "move", "Move to next list", show=False),
        Binding("shift+up", "reorder(-1)", "Move up", show=False),
        Binding("shift+down", "reorder(1)", "Move down", show=False),
        Binding("c", "choose_columns", "Columns", show=False),
        Binding("e", "export", "Export list", show=False),
        Binding("p", "import", "Import (paste) list", show=False),
        Binding("P", "app.portfolio", "Portfolio", show=False),
    ]

    def action_switch(self, step: int) -> None:
        names = list(self.watchlists)
        if names:
            self.show_watchlist(names[(names.index(self.active) + step) % len(names)])

    def action_switch_to(self, index: int) -> None:
        names = list(self.watchlists)
        if index < len(names):
            self.show_watchlist(names[index])

    # -- adding and removing -----------------------------------------------------------------------

    def action_add(self) -> None:
        self.app.push_screen(AddInstrumentScreen(self.service), self.add_key)

    def add_key(self, key: InstrumentKey | None) -> None:
        """Append ``key`` to the active watchlist (if new) and put the cursor on it."""
        if key is not None:
            self.add_keys([key])
            self.table.select_key(key)

    def add_keys(self, keys: list[InstrumentKey]) -> list[InstrumentKey]:
        """Append the ``keys`` not in the active watchlist yet; returns those added."""
        new = [key for key in dict.fromkeys(keys) if key not in self.keys]
        if new:
            self.keys.extend(new)
            self.show_watchlist(self.active)
            self._changed()
        return new

    def action_remove(self) -> None:
        key = self.table.selected_key
        if key is None:
            return
        question = f"Remove {key} from {clean_text(self.active)}?"
        done = partial(self._remove, key, self.active)
        self.app.push_screen(ConfirmScreen(question, yes="Remove"), done)

    def _remove(self, key: InstrumentKey, name: str, yes: bool | None) -> None:
        keys = self.watchlists.get(name, [])
        if not yes or key not in keys:
            return
        keys.remove(key)
        if name == self.active:
            self.show_watchlist(name)
        self._changed()
        self.notify(f"Removed {key} from {clean_text(name)}", timeout=3, markup=False)

    # -- order and lists ---------------------------------------------------------------------------

    def action_reorder(self, step: int) -> None:
        key = self.table.selected_key
        if key is None or self.table.order.sort_key is not None:
            if key is not None:
                self.notify("Clear the sort (s until unsorted) to reorder", timeout=3)
            return
        keys = self.keys
        index = keys.index(key)
        target = index + step
        if 0 <= target < len(keys):
            keys[index], keys[target] = keys[target], keys[index]
            self.table.set_keys(keys)
            self.table.select_key(key)
            self._changed()

    def action_move(self) -> None:
        key, names = self.table.selected_key, list(self.watchlists)
        if key is None or len(names) < 2:
            return
        target = names[(names.index(self.active) + 1) % len(names)]
        self.keys.remove(key)
        if key not in self.watchlists[target]:
            self.watchlists[target].append(key)
        self.show_watchlist(self.active)
        self._changed()
        self.notify(f"Moved {key} to {clean_text(target)}", timeout=3, markup=False)

    def _changed(self) -> None:
        self.post_message(WatchlistsChanged(self.watchlists, self.active))

    # -- import, export, columns -------------------------------------------------------------------

    def action_export(self) -> None:
        text = export_text(self.keys)
        if not text:
            self.notify("This watchlist is empty: nothing to export", timeout=3)
            return
        self.app.copy_to_clipboard(text)  # OSC 52: reaches the local clipboard over SSH too
        self.app.push_screen(ExportScreen(self.active, text))

    def action_import(self) -> None:
        self.app.push_screen(ImportScreen(self.active, self.add_keys))

    def action_choose_columns(self) -> None:
        shown = [column.key for column in self.table.columns]
        self.app.push_screen(ColumnChooserScreen(shown), self._columns_chosen)

    def _columns_chosen(self, keys: list[str] | None) -> None:
        if keys is not None:
            self.table.set_columns(keys)
            self.post_message(ColumnsChanged(self.table.column_keys))
