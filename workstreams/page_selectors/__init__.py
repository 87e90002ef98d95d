"""Reads that build one page each (the page's read model). Shared entity reads
stay in `workstreams.selectors`; these compose them for a page, with a fixed
number of queries whatever the data size."""
