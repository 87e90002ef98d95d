"""The site's indicator pages, one module per page group."""
