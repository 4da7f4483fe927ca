"""Views of documents and diffs: each reads plain data and never re-computes it."""
