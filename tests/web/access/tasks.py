from tests.web.access.common import EVERYONE, AccessTable

# My tasks, notifications and search: every signed-in person has their own.
EXPECTED: AccessTable = {
    "tasks:index": ({}, EVERYONE),
    "tasks:notifications": ({}, EVERYONE),
    "tasks:search": ({}, EVERYONE),
}
