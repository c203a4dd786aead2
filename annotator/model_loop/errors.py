"""The one-line failures of the model commands, and the one place spaCy is imported from."""

from __future__ import annotations

from types import ModuleType

from annotator.errors import AnnotatorError

INSTALL = "pip install 'annotator[model]'"


class ModelError(AnnotatorError):
    """A user-facing failure of training or predicting: printed as one line."""


def import_spacy() -> ModuleType:
    """The spaCy module, or ModelError saying how to install it."""
    try:
        import spacy
    except ImportError:
        raise ModelError(f"training and suggesting with a model need spaCy: {INSTALL}") from None
    return spacy
