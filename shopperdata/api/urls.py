from django.urls import re_path

from . import views

# Included under /ccadmin/v1/.
urlpatterns = [
    re_path(r"^shopperTypes/(?P<type_id>[^/]+)/?$", views.ShopperTypeView.as_view(), name="ccadmin-shopper-type"),
    re_path(r"^profiles/?$", views.ProfileListView.as_view(), name="ccadmin-profiles"),
    re_path(r"^profiles/(?P<pk>\d+)/?$", views.ProfileDetailView.as_view(), name="ccadmin-profile"),
    re_path(r"^profiles/(?P<pk>\d+)/propertyAccess/?$", views.ProfileAccessView.as_view(),
            name="ccadmin-profile-access"),
    re_path(r"^profileExport/?$", views.ProfileExportView.as_view(), name="ccadmin-profile-export"),
]
