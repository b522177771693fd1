"""The Textual user interface; ``alortui.ui.app.AlorTUI`` is the entry point."""
