"""Pages of the consultation area, one module per resource; `urls.py` names them."""
