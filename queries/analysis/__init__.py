"""Harmonisation analyses built on named queries: determinations, holdings, gaps."""
