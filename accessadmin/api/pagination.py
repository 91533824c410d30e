from rest_framework import pagination
from rest_framework.response import Response


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class OffsetLimit:
    """Paging of the /ccadmin/v1 lists: `offset`, `limit` (default 250), `totalResults`."""

    default_limit = 250
    max_limit = 1000

    def __init__(self, request, *, default_limit: int | None = None):
        self.request = request
        self.offset = self._int("offset", 0, 0)
        self.limit = min(self._int("limit", default_limit or self.default_limit, 1), self.max_limit)

    def _int(self, name, default, minimum):
        from ..errors import InvalidInput

        raw = self.request.query_params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except ValueError:
            raise InvalidInput(f"{name} must be a whole number.", code="invalid_paging") from None
        if value < minimum:
            raise InvalidInput(f"{name} must be at least {minimum}.", code="invalid_paging")
        return value

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
