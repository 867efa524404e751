"""What other areas may ask of the enabling workstreams, without importing this app's
views (nothing imports this app; the lead wires these where they are wanted).

- `option_capital(option)`: the capital plan's total for a service change option (any
  object with `code` and `name`, e.g. a decisions `Option`), so the decisions area shows an
  option's capital from the capital plan rather than typed in twice.
"""

from __future__ import annotations

from typing import Any

from stpkit.web.enablers.services import option_capital as _option_capital


def option_capital(option: Any) -> float:
    return _option_capital(
        code=str(getattr(option, "code", "")), name=str(getattr(option, "name", ""))
    )
