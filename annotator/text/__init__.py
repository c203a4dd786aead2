"""Pure text handling: layout (shaping, bidi, wrapping, cell maps), tokens, normalisation."""
