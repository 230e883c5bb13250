"""Reads on the catalogue (catalogue.py here) and the funnel figures (funnel.py)."""
