"""Bytes to text to units: loading, the document and its line index, sentences, find."""
