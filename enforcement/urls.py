"""Enforcement's paths: the gateway check (resolved first) and its pages, which live among the store
pages under /stores/-/ (URL namespace "stores")."""

from django.urls import path

from . import gateway, views

hot = [
    path("authz/check", gateway.authz_check, name="authz-check"),
]

pages = [
    path("-/enforcement/", views.enforcement_settings, name="enforcement"),
    path("-/usage/", views.usage_list, name="usage"),
    path("-/usage/suggest/<str:code>/", views.usage_suggest, name="usage-suggest"),
]
