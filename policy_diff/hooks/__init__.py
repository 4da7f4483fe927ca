"""The git hooks: `install` writes them, `run` is what they execute, `check` holds a range to their rules."""
