"""Officer admin for the indicators app, one module per topic."""

from indicators.admin import areas, imports, indicators, place, targets, values

__all__ = ["areas", "imports", "indicators", "place", "targets", "values"]
