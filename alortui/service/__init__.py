"""The market data service the screens bind to. Imports no Textual."""
