"""Static files storage for production: hashed names, compressed, and the
``import`` lines inside our JavaScript modules rewritten to the hashed names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
