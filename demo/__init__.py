"""The demo layer: `load_demo` fills a fresh portal with fictional data of our own, on top of every domain app.

It writes through the domain apps' public services only, so that the demo obeys the same rules as the pages."""
