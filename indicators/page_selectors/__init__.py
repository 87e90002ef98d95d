"""Reads that build one indicator page each (see workstreams.page_selectors)."""
