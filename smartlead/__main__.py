"""``python -m smartlead``: see :mod:`smartlead.cli`."""

import sys

from smartlead.cli import main

sys.exit(main())
