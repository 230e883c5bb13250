"""Infrastructure without domain (DESIGN.md §4): the export writer and the checks imports run on their cells.

A plain package, not an app: it has no models, templates or commands. Every app may import it; it imports no app.
"""
