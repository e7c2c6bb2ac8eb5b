"""`python -m tui` runs the `hamish` command."""

import sys

from .cli import main

sys.exit(main())
