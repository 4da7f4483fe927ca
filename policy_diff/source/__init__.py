"""Where texts come from: the store, refs, files, git; a ref read and parsed into a Side."""
