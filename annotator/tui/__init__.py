"""The Textual user interface: a thin layer over the session, store and text layout."""
