"""Sample documents bundled with Hamish (shipped inside the package as `tui.samples`)."""
