"""Filters of the group list, shared by the page and the API."""

import django_filters
from django.db.models import Q

from .models import AccessGroup


class AccessGroupFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label="Search")
    status = django_filters.ChoiceFilter(choices=[("active", "Active"), ("inactive", "Inactive")],
                                         method="filter_status", label="Status")
    kind = django_filters.ChoiceFilter(choices=[("builtin", "Built-in"), ("custom", "Custom")],
                                       method="filter_kind", label="Kind")
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("is_active", "status"), ("created_at", "created_at"),
                ("updated_at", "updated_at"), ("store_count", "store_count")),
        label="Sort",
    )

    class Meta:
        model = AccessGroup
        fields = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value)) if value else queryset

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=(value == "active"))

    def filter_kind(self, queryset, name, value):
        return queryset.filter(org__isnull=(value == "builtin"))

    @property
    def qs(self):
        qs = super().qs
        ordered = getattr(self.form, "cleaned_data", {}).get("ordering")
        return qs if ordered else qs.order_by("name", "pk")
