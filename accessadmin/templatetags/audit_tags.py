from django import template

register = template.Library()


def _plain(value) -> str:
    if value is None:
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return str(value)


@register.filter
def audit_value(value) -> str:
    """Renders an audit event's before/after for people: `store: s1; group: WeChat`, `—` for nothing."""
    return _plain(value)


@register.simple_tag
def described(events):
    """`{% described history as rows %}`: the events with labels and readable change rows (audit_display)."""
    from accessadmin.audit_display import describe

    return describe(events)
