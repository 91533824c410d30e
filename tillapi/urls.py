"""/v2/ — the till API. Paths have no trailing slash; the form with one also works."""

from django.urls import re_path

from . import requests, usergroups, views

ID = r"(?P<customer_id>[0-9]+)"

urlpatterns = [
    re_path(r"^customers/?$", views.CustomersView.as_view(), name="till-customers"),
    re_path(rf"^customers/{ID}/?$", views.CustomerView.as_view(), name="till-customer"),
    re_path(r"^customers/userEntityTrackers/?$", usergroups.UserEntityTrackersView.as_view(),
            name="till-user-entity-trackers"),
    re_path(r"^transactions/?$", views.TransactionsView.as_view(), name="till-transactions"),
    re_path(r"^points/issue/?$", views.PointsIssueView.as_view(), name="till-points-issue"),
    re_path(r"^points/redeem/?$", views.PointsRedeemView.as_view(), name="till-points-redeem"),
    re_path(rf"^points/{ID}/?$", views.PointsBalanceView.as_view(), name="till-points"),
    re_path(r"^events/?$", views.EventsView.as_view(), name="till-events"),
    re_path(r"^stores/?$", views.StoresView.as_view(), name="till-stores"),
    re_path(r"^tills/?$", views.TillsView.as_view(), name="till-tills"),
    re_path(r"^behavioral-events/?$", views.BehavioralEventsView.as_view(), name="till-behavioral-events"),
    re_path(r"^org/?$", views.OrgView.as_view(), name="till-org"),
    re_path(r"^requests/?$", requests.RequestsView.as_view(), name="till-requests"),
    re_path(r"^requests/(?P<request_id>[0-9]+)/?$", requests.RequestView.as_view(), name="till-request"),
    re_path(r"^userGroup2/?$", usergroups.UserGroupView.as_view(), name="till-user-group"),
    re_path(r"^userGroup2/join/?$", usergroups.UserGroupJoinView.as_view(), name="till-user-group-join"),
    re_path(r"^userGroup2/members/?$", usergroups.UserGroupMembersView.as_view(), name="till-user-group-members"),
    re_path(r"^userGroup2/(?P<group_id>[0-9]+)/leave/?$", usergroups.UserGroupLeaveView.as_view(),
            name="till-user-group-leave"),
]
