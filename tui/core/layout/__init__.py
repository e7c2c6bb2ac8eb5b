"""Units to screen rows: glyph widths, bidi levels, shaping, wrapping, row maps, one-line displays."""
