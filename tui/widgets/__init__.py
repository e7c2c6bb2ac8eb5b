"""Textual widgets of the Hamish shell."""
