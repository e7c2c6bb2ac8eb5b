"""Textual screens of the Hamish shell."""
