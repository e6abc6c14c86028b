"""`python3 -m gpuqual_reports ...`: the same as `gpuqual report ...`. A Ctrl-C while the modules
load (matplotlib takes a while) exits 130 with one line too, not a traceback."""

import sys

try:
    from .cli import main
except KeyboardInterrupt:
    print("gpuqual report: interrupted", file=sys.stderr)
    sys.exit(130)

sys.exit(main())
