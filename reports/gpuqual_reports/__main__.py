"""`python3 -m gpuqual_reports ...`: the same as `gpuqual report ...`."""

import sys

from .cli import main

sys.exit(main())
