"""The site's pages for workstreams, one module per page group. Each module
keeps its own ``urlpatterns``; `workstreams.urls` joins them."""
