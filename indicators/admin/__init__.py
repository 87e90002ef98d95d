"""Officer admin for the indicators app, one module per topic."""

from indicators.admin import areas, indicators, targets, values

__all__ = ["areas", "indicators", "targets", "values"]
