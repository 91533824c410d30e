"""The global search of the header: every registered search provider (accessadmin.registry), as you type.

GET /search/?q=… renders a page of results; with htmx's `HX-Request` header only the dropdown fragment.
Each provider decides what the actor may see (a CS agent finds customers, not users), and answers with a
constant number of queries.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import registry
from .pages import page_view

# Hits per kind: a few in the dropdown, more on the page.
DROPDOWN_LIMIT = 5
PAGE_LIMIT = 25
# Longer input is cut: nothing is named like a paragraph.
QUERY_MAX_LENGTH = 100


@never_cache
@page_view()
def search(request):
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    partial = request.headers.get("HX-Request") == "true"
    limit = DROPDOWN_LIMIT if partial else PAGE_LIMIT
    results = registry.search(actor=request.user, org=request.org, query=query, limit=limit) if query else []
    context = {
        "q": query,
        "global_search_q": query,
        "results": [{"kind": provider.kind, "label": provider.label, "hits": hits,
                     "more": len(hits) >= limit} for provider, hits in results],
        "count": sum(len(hits) for _provider, hits in results),
        "kinds": [provider.label for provider in registry.search_providers()],
    }
    template = "includes/search_results.html" if partial else "accessadmin/search.html"
    return render(request, template, context)
