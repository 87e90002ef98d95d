"""Import the outcome-measure table: TSV/CSV as published, or the XLSX template.

* :mod:`~indicators.measures_import.sources` - read a file into the table's text
* :mod:`~indicators.measures_import.metadata` - metadata for each row
* :mod:`~indicators.measures_import.service` - :func:`measures_import`
* :mod:`~indicators.measures_import.template` - write the XLSX template

Import the public functions from their modules (this package's ``__init__``
stays free of imports so that loading it does not touch the models).
"""
