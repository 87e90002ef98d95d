"""Template tags of the workstreams pages."""
