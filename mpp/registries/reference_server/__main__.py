import signal
import sys

from mpp.registries.reference_server import main

# bin/serve stops its children with SIGTERM: leave cleanly, like on Ctrl-C.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
sys.exit(main())
