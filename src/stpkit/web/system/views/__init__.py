"""Views of the system view, one module per resource."""
