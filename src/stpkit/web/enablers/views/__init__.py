"""Views of the enabling workstreams, one module per resource."""
