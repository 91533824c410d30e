from django.urls import path, re_path

from . import views

# /api/v1/ (core part)
api_v1 = [
    re_path(r"^me/?$", views.MeView.as_view(), name="api-me"),
    re_path(r"^users/?$", views.UserListView.as_view(), name="api-users"),
    re_path(r"^users/(?P<pk>\d+)/?$", views.UserDetailView.as_view(), name="api-user"),
]

# /ccadmin/v1/ (core part)
ccadmin_v1 = [
    path("login", views.LoginView.as_view(), name="ccadmin-login"),
    path("logout", views.LogoutView.as_view(), name="ccadmin-logout"),
    re_path(r"^adminRoles/?$", views.RoleListView.as_view(), name="ccadmin-roles"),
    re_path(r"^adminRoles/(?P<code>[^/]+)/?$", views.RoleDetailView.as_view(), name="ccadmin-role"),
    re_path(r"^adminAccessRights/?$", views.AccessRightListView.as_view(), name="ccadmin-access-rights"),
    re_path(r"^adminAccessRights/(?P<code>[^/]+)/?$", views.AccessRightDetailView.as_view(),
            name="ccadmin-access-right"),
]
