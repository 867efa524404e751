"""`LongSelect` writes the same `<select>` as Django's template-rendered one."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test.html import parse_html

from stpkit.web.core.widgets import LongSelect

CHOICES: list[tuple[Any, Any]] = [
    ("", "Choose a milestone"),
    (1, "Hospital care: Consultation <draft> & more (1 Mar 2018)"),
    (2, 'Prevention: "quoted" title'),
    ("Group", [(3, "In a group"), (4, "Also in it")]),
]


@pytest.mark.parametrize("value", [None, "", 2, "3"])
@pytest.mark.parametrize("attrs", [None, {"class": "nhsuk-select", "aria-describedby": "x-hint"}])
def test_long_select_writes_what_django_writes(value: Any, attrs: dict[str, str] | None) -> None:
    ours = LongSelect(choices=CHOICES).render(
        "predecessor", value, attrs={"id": "id_p", **(attrs or {})}
    )
    django = forms.Select(choices=CHOICES).render(
        "predecessor", value, attrs={"id": "id_p", **(attrs or {})}
    )
    assert parse_html(ours) == parse_html(django)
    chosen = "" if value is None else str(value)
    assert f'<option value="{chosen}" selected>' in ours
    assert ours.count(" selected") == 1


def test_a_required_select_stays_required() -> None:
    field = forms.ChoiceField(choices=CHOICES[:3], widget=LongSelect)

    class Form(forms.Form):
        pick = field

    html = str(Form()["pick"])
    assert parse_html(html) == parse_html(
        forms.Select(choices=CHOICES[:3]).render(
            "pick", None, attrs={"id": "id_pick", "required": True}
        )
    )
