"""Pages of the curated startup registry, one module per sub-resource; each view parses, calls one service
or selector, and renders."""
