"""Annotate Arabic news text in a terminal: actors, figures, places and quotes."""

__version__ = "0.1.0"
