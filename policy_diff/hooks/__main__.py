"""`python -P -m policy_diff.hooks HOOK [ARGS...]`: what the installed hook scripts run.

The scripts already in users' repositories call this name, so it stays the hooks' entry.
"""

import sys

from ..process import short_lived_process
from .run import main

with short_lived_process():
    sys.exit(main())
