"""The project's URLconf: the core's paths, and every app's paths from the registry.

The apps register their URL patterns in AppConfig.ready() (accessadmin.registry.register_urls); this
module only places them: the machine-facing paths first (URL resolution walks the list in order), then
the pages, then the two REST APIs.
"""

from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from oauth2_provider.views import TokenView

from . import global_search, views
from .api import urls as core_api
from .registry import Mount, routes

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


def favicon(request):
    """Browsers ask for /favicon.ico where a page does not name one (the API docs, JSON answers)."""
    # Resolved per request: the production static storage knows the hashed name only after collectstatic.
    return HttpResponsePermanentRedirect(static("favicon.ico"))


def mounted(mount: Mount) -> list:
    """Returns the apps' patterns registered under `mount`, each (prefix, namespace) as one include."""
    return [path(prefix, include((patterns, namespace)) if namespace else include(patterns))
            for prefix, namespace, patterns in routes(mount)]


urlpatterns = [
    *mounted(Mount.HOT),
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
    path("search/", global_search.search, name="search"),
    path("favicon.ico", favicon),
    *mounted(Mount.PAGES),
    path("api/v1/", include([*core_api.api_v1, *mounted(Mount.API_V1)])),
    path("ccadmin/v1/", include([*core_api.ccadmin_v1, *mounted(Mount.CCADMIN_V1)])),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from a URL: no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/docs/errors", views.error_reference, name="api-docs-errors"),
    path("admin/", admin.site.urls),
]
