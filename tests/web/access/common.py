"""Role shorthands for the per-area access tables."""

from stpkit.web.accounts.roles import Role

B, PO, WL, AN, DC, AD = (
    Role.BOARD_MEMBER,
    Role.PROGRAMME_OFFICE,
    Role.WORKSTREAM_LEAD,
    Role.ANALYST,
    Role.DATA_CONTROLLER,
    Role.ADMINISTRATOR,
)
EVERYONE = {B, PO, WL, AN, DC, AD}
NOT_DC = EVERYONE - {DC}

# An access table maps a URL name to (sample URL kwargs, roles answered 200). Any other
# role must get 403. URL kwargs may name objects the area's demo fixture creates.
AccessTable = dict[str, tuple[dict[str, str], set[Role]]]
