"""Widgets: the status bar, the banner and the Line-API market tables."""
