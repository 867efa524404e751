"""What other areas may ask of the enabling workstreams, without importing this app's
views (nothing imports this app; the lead wires these where they are wanted).

- `option_capital(option)`: the capital plan's total for a service change option (any
  object with `code` and `name`, e.g. a decisions `Option`), so the decisions area shows an
  option's capital from the capital plan rather than typed in twice.
"""

from __future__ import annotations

from typing import Any

from stpkit.web.enablers.services import option_capital as _option_capital
from stpkit.web.enablers.services import schemes


def option_capital(option: Any) -> float:
    return _option_capital(
        code=str(getattr(option, "code", "")), name=str(getattr(option, "name", ""))
    )


def options_capital(options: list[tuple[str, str]]) -> list[float]:
    """The capital of each (code, name) option, reading the schemes once: the source the
    decisions area asks (registered by `EnablersConfig.ready`)."""
    plan = [(s.option_code.strip().lower(), s.total) for s in schemes() if s.option_code.strip()]
    out = []
    for code, name in options:
        wanted = {k.strip().lower() for k in (code, name) if k.strip()}
        out.append(sum(total for key, total in plan if key in wanted))
    return out
