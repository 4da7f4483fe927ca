"""Document x Document -> PolicyDiff: sections paired, blocks aligned, moves found, words diffed."""
