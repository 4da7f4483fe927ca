"""The commands: each a thin function over the library that prints and returns an exit code."""
