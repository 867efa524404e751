"""Pages of the decisions area, one module per resource; `urls.py` names them."""
