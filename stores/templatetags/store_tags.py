from django import template

from ..selectors import EffectiveGroup, effective_group

register = template.Library()


@register.filter(name="effective_group")
def effective_group_filter(store, default) -> EffectiveGroup:
    """`{{ store|effective_group:default }}`: the group the store's tills act with and where it comes from
    (stores.selectors.effective_group); `default` is the org's default group the view read once."""
    return effective_group(store, default=default)
