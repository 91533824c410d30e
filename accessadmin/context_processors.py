"""The navigation of the base layout: the sections and links the apps registered (accessadmin.registry),
shown to who may use them."""

from django.urls import NoReverseMatch, reverse

from . import policies, registry


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    org = getattr(request, "org", None)
    sections = []
    current = request.path
    decided = {}

    def allowed(policy) -> bool:
        # One answer per policy and request: the menu and the search box ask the same policies.
        if policy not in decided:
            decided[policy] = bool(policy(user))
        return decided[policy]

    for title, items in registry.nav_sections():
        links = []
        for item in items:
            if not allowed(item.policy):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            links.append({"label": item.label, "url": url, "active": False})
        if links:
            sections.append({"title": title, "links": links})
    # Only the link with the longest matching prefix is the current page (/groups/default/ is not /groups/).
    matching = [link for s in sections for link in s["links"] if current.startswith(link["url"])]
    if matching:
        max(matching, key=lambda link: len(link["url"]))["active"] = True
    # The kinds the header's search box may find for this user (none: no box).
    search_labels = ([p.label for p in registry.search_providers() if p.policy is None or allowed(p.policy)]
                     if org else [])
    return {
        "search_labels": search_labels,
        "nav_sections": sections,
        "active_org": org if org else None,
        "is_platform_staff": policies.is_platform_staff(user),
    }
