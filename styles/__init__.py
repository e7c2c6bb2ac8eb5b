"""Textual CSS for the Hamish app (shipped inside the package as `tui.styles`)."""
