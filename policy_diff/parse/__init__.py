"""Text -> Document: front matter (a strict YAML subset) and the Markdown body's sections and blocks."""
