import re

from rest_framework import pagination
from rest_framework.response import Response

from ..errors import CoreErrorCode, InvalidInput
from ..limits import PAGING_MAX_NUMBER

WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def paging_number(request, name: str, *, minimum: int) -> int | None:
    """Returns the query parameter `name` as a whole number between `minimum` and PAGING_MAX_NUMBER, None
    when absent; anything else (words, decimals, huge or too small numbers) is 400 `invalid_paging`."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    # ASCII digits only: int() would also take "1_000", " 5" and other scripts' digits.
    if not WHOLE_NUMBER.fullmatch(raw) or len(raw) > 20:
        raise InvalidInput(f"{name} must be a whole number.", code=CoreErrorCode.INVALID_PAGING)
    value = int(raw)
    if value < minimum:
        raise InvalidInput(f"{name} must be at least {minimum}.", code=CoreErrorCode.INVALID_PAGING)
    if value > PAGING_MAX_NUMBER:
        raise InvalidInput(f"{name} must be at most {PAGING_MAX_NUMBER}.", code=CoreErrorCode.INVALID_PAGING)
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    """Paging of the /api/v1 lists: `page` (or "last") and `page_size` (default PAGE_SIZE, at most 500).

    A page past the last one stays DRF's 404 "Invalid page."; a page or page_size that is not a number in
    range is 400 `invalid_paging`.
    """

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        size = paging_number(request, self.page_size_query_param, minimum=1)
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return paginator.num_pages
        return paging_number(request, self.page_query_param, minimum=1) or 1


class OffsetLimit:
    """Paging of the /ccadmin/v1 lists: `offset`, `limit` (default 250), `totalResults`."""

    default_limit = 250
    max_limit = 1000

    def __init__(self, request, *, default_limit: int | None = None):
        self.request = request
        offset = paging_number(request, "offset", minimum=0)
        limit = paging_number(request, "limit", minimum=1)
        self.offset = 0 if offset is None else offset
        self.limit = min(limit or default_limit or self.default_limit, self.max_limit)

    def page(self, queryset):
        """Returns (rows of this page, total count)."""
        total = queryset.count()
        return list(queryset[self.offset:self.offset + self.limit]), total

    def response(self, items: list, total: int, *, sort: list | None = None) -> Response:
        url = self.request.build_absolute_uri()
        return Response({
            "items": items,
            "total": total,
            "totalResults": total,
            "offset": self.offset,
            "limit": self.limit,
            "sort": sort or [],
            "links": [{"rel": "self", "href": url}],
        })
