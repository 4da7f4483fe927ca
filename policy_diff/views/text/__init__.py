"""The terminal's pieces: layout, theme, and the screen every view is printed to."""
