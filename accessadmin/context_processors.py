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
    for title, items in registry.nav_sections():
        links = []
        for item in items:
            if not item.policy(user):
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
    return {
        "nav_sections": sections,
        "active_org": org if org else None,
        "is_platform_staff": policies.is_platform_staff(user),
    }
