"""Figures, tables and words built from calc output; pure, and never imports Dash."""
