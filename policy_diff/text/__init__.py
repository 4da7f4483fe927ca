"""Text primitives every stage shares: word tokens, invisible and look-alike characters, inert text."""
