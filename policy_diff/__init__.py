"""policy-diff: provision-aware, move-aware diffs of versioned policy records."""

from .errors import PolicyDiffError, RecordError, RefError, UsageError
from .parse.document import parse

__all__ = ["PolicyDiffError", "RecordError", "RefError", "UsageError", "parse"]
__version__ = "0.1.0"
