"""Import and export OHID Fingertips data CSVs (the ``all_data/csv`` layout).

Modules, in the order an import uses them:

* :mod:`~indicators.fingertips.reader` - bytes to numbered CSV records (UTF-8 only)
* :mod:`~indicators.fingertips.columns` - find the columns in the header
* :mod:`~indicators.fingertips.vocabulary` - comparison, trend and area-type words
* :mod:`~indicators.fingertips.validation` - check every row, collect every problem
* :mod:`~indicators.fingertips.references` - find or create indicators, areas, periods
* :mod:`~indicators.fingertips.staging` - rows with their keys, for either merge
* :mod:`~indicators.fingertips.merge_postgres` - COPY + ``INSERT … ON CONFLICT``
* :mod:`~indicators.fingertips.merge_orm` - the same with the ORM (SQLite)
* :mod:`~indicators.fingertips.importer` - :func:`fingertips_import`, the service
* :mod:`~indicators.fingertips.exporter` - rows and CSV/XLSX writers for export

Import the public functions from their modules (this package's ``__init__``
stays free of imports so that loading it does not touch the models).
"""
