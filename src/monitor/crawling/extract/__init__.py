"""Read fields out of pages by metadata, labels and structure rather than by guessed CSS classes,
so that a redesign of a site does not silently empty its releases."""
