"""The meeting pages, one module per area; `matchmaking/meetings/urls.py` maps them."""
