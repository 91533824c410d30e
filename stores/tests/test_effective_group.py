"""The effective group of a store (and of its tills): the store's group, else the org's default group, else
the built-in POS group. Python and SQL (the enforcement query) answer alike in every case."""

import pytest
from django.db import connection

from groups import services as group_services
from groups.builtins import ADMIN, POS
from stores.models import Store
from stores.selectors import effective_group, effective_group_id_sql

pytestmark = pytest.mark.django_db


def _in_sql(store) -> int:
    expression, params = effective_group_id_sql(store="s", org_id="s.org_id")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {expression} FROM {Store._meta.db_table} s WHERE s.id = %s", [*params, store.pk])
        return cursor.fetchone()[0]


def test_python_and_sql_agree_on_every_source(acme, globex, builtin, make_group, make_stores, allocate):
    own, inherits = make_stores(acme, 2)
    wechat = make_group(acme, "WeChat")
    allocate(acme, wechat, [own.code])
    own, inherits = Store.objects.get(pk=own.pk), Store.objects.get(pk=inherits.pk)

    # No default chosen: the built-in POS group.
    assert (effective_group(inherits).group, effective_group(inherits).source) == (builtin(POS), "org_default")
    assert _in_sql(inherits) == builtin(POS).pk
    # The store's own group wins over any default.
    assert (effective_group(own).group, effective_group(own).source) == (wechat, "store")
    assert not effective_group(own).inherited and effective_group(inherits).inherited
    assert _in_sql(own) == wechat.pk
    # A chosen default: stores without a group follow it; another org's choice changes nothing here.
    group_services.default_group_set(actor=None, org=acme, group=builtin(ADMIN))
    group_services.default_group_set(actor=None, org=globex, group=builtin(POS))
    assert effective_group(inherits).group == builtin(ADMIN) == effective_group(inherits, default=builtin(ADMIN)).group
    assert _in_sql(inherits) == builtin(ADMIN).pk
    assert _in_sql(own) == wechat.pk


def test_a_default_read_once_by_the_caller_spares_the_query(acme, make_stores, builtin, django_assert_num_queries):
    store = Store.objects.get(pk=make_stores(acme, 1)[0].pk)
    pos = builtin(POS)
    with django_assert_num_queries(0):
        assert effective_group(store, default=pos).group == pos
    with django_assert_num_queries(2):  # the org's choice (none), then the built-in POS group
        assert effective_group(store).group == pos
