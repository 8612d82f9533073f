"""Seaborn plots. Each takes a result DataFrame and returns a matplotlib Axes (or Figure for grids)."""
