"""The outcome-measure table: parse it, load it with a place, import it, export it.

* :mod:`~indicators.measures.table` - parse the published table (TSV) into rows
* :mod:`~indicators.measures.reading` - :func:`measures_read`: read and check a
  place's measures.json and its table, without touching the database
* :mod:`~indicators.measures.writing` - :func:`measures_write`: write indicators,
  periods, values, published assessments and trends through the services
* :mod:`~indicators.measures.sources` - read an uploaded file (TSV/CSV/XLSX) into
  the table's text
* :mod:`~indicators.measures.xlsx_check` - refuse a hostile workbook before reading it
* :mod:`~indicators.measures.metadata` - metadata for each row
* :mod:`~indicators.measures.importing` - :func:`measures_import`: an upload,
  checked then written as a load is
* :mod:`~indicators.measures.template` - write the XLSX template
* :mod:`~indicators.measures.raw_figures` - the template's Raw figures and Age
  bands sheets: values calculated from their figures on import

Import the public functions from their modules (this package's ``__init__``
stays free of imports so that loading it does not touch the models).
"""
