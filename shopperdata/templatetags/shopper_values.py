"""How a shopper property value reads on a page: never `null`, `None`, `True` or `False`."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def shown_value(value):
    """Returns `value` for people: "—" (muted) when there is none, Yes/No for booleans, lists comma-separated."""
    if value is None or value == "" or value == []:
        return mark_safe('<span class="muted" title="No value">—</span>')
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join("Yes" if v is True else "No" if v is False else str(v) for v in value)
    return value
