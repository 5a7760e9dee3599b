"""`python -m kefu.cli`, as the `kefu` script."""

import sys

from kefu.cli import main

sys.exit(main())
