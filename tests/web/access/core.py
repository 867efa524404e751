from tests.web.access.common import AD, EVERYONE, AccessTable

EXPECTED: AccessTable = {
    "core:home": ({}, EVERYONE),
    "core:about": ({}, EVERYONE),
    "core:accessibility": ({}, EVERYONE),
    "core:lsoa_boundaries": ({"icb_code": "E54000032"}, EVERYONE),
    "accounts:logout": ({}, EVERYONE),
    "accounts:password_change": ({}, EVERYONE),
    "accounts:password_change_done": ({}, EVERYONE),
    "accounts:users": ({}, {AD}),
    "accounts:user_new": ({}, {AD}),
    "accounts:user_edit": ({"username": "test-administrator"}, {AD}),
    "accounts:user_reset": ({"username": "test-administrator"}, {AD}),
}
