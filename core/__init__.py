"""Infrastructure without domain (DESIGN.md §4): the export writer, the checks imports run on their cells, and
the reading of ids, dates and other values a request brings (params).

A plain package, not an app: it has no models, templates or commands. Every app may import it; it imports no app.
"""
