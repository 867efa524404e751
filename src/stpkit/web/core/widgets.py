"""Form widgets for long choice lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """The attributes as Django's widget template writes them (False left out, True bare)."""
    return flatatt({k: v for k, v in attrs.items() if v is not False})


class LongSelect(forms.Select):
    """A `<select>` written in Python, option by option, exactly as Django's templates
    write it: Django renders every option through its template engine, which took a
    second for a list of 2,000 milestones (the dependency form)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html('\n  <optgroup label="{}">', group))
            parts.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>',
                    str(o["value"]),
                    _attrs(o["attrs"]),
                    conditional_escape(o["label"]),
                )
                for o in options
            )
            if group:
                parts.append(mark_safe("\n  </optgroup>"))
        parts.append(mark_safe("\n</select>"))
        return mark_safe("".join(parts))
