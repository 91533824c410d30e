from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from oauth2_provider.views import TokenView

from stores.enforcement.gateway import authz_check

from . import views
from .api import urls as core_api

users_urls = ([
    path("", views.user_list, name="list"),
    path("new/", views.user_create, name="create"),
    path("<int:pk>/", views.user_edit, name="edit"),
], "users")

roles_urls = ([
    path("", views.role_list, name="list"),
    path("new/", views.role_create, name="create"),
    path("<str:code>/", views.role_edit, name="edit"),
], "roles")

access_rights_urls = ([
    path("", views.access_right_list, name="list"),
    path("new/", views.access_right_create, name="create"),
    path("<str:code>/", views.access_right_edit, name="edit"),
], "access-rights")

api_v1 = [
    *core_api.api_v1,
    path("", include("groups.api.urls")),
    path("", include("stores.api.urls")),
    path("", include("connect.api.urls")),
    path("", include("privacy.api.urls")),
]

ccadmin_v1 = [
    *core_api.ccadmin_v1,
    path("", include("shopperdata.api.urls")),
    path("", include("criteria.api.urls")),
]

urlpatterns = [
    # The hot machine-facing paths first: URL resolution walks the list in order.
    path("authz/check", authz_check, name="authz-check"),
    path("v2/", include("stores.tillapi.urls")),
    re_path(r"^oauth/token/?$", TokenView.as_view(), name="oauth-token"),
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("org/switch/", views.org_switch, name="org-switch"),
    path("users/", include(users_urls)),
    path("roles/", include(roles_urls)),
    path("access-rights/", include(access_rights_urls)),
    path("audit/", views.audit_log, name="audit-log"),
    path("groups/", include("groups.urls")),
    path("stores/", include("stores.urls")),
    path("shoppers/", include("shopperdata.urls")),
    path("catalog/", include("criteria.urls")),
    path("connect/", include("connect.urls")),
    path("privacy/", include("privacy.urls")),
    path("api/v1/", include(api_v1)),
    path("ccadmin/v1/", include(ccadmin_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from a URL: no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
