"""Group loyalty services: the program, groups and their rules, wallets (points_to), contributions, slabs with
time moved (never waited)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from accessadmin.errors import Conflict, Forbidden, InvalidInput, NotFound
from accessadmin.models import AuditEvent
from loyalty import selectors, services
from loyalty.errors import GroupCode, GroupErrorCode
from loyalty.models import GroupLedgerEntry, GroupSlabEvent, UserGroup
from loyalty.services import InsufficientPoints

from .conftest import T0

pytestmark = pytest.mark.django_db


# --- the program ----------------------------------------------------------------------------------------------


def test_program_defaults_are_the_issue_s(acme):
    program = selectors.program_get(org=acme)
    assert (program.enabled, program.max_group_size, program.points_to, program.tracking_window_days) == \
        (False, 30, "both", 365)
    assert program.slabs == [{"name": "Silver", "threshold": 0, "renewal_threshold": 0},
                             {"name": "Gold", "threshold": 5000, "renewal_threshold": 4000},
                             {"name": "Platinum", "threshold": 20000, "renewal_threshold": 16000}]


def test_only_administrators_change_the_program_and_it_is_audited(acme, acme_admin, csr):
    with pytest.raises(Forbidden) as refused:
        services.program_update(actor=csr, org=acme, changes={"enabled": True})
    assert refused.value.code == GroupErrorCode.PROGRAM_FORBIDDEN
    services.program_update(actor=acme_admin, org=acme, changes={"enabled": True, "points_to": "group"})
    event = AuditEvent.objects.get(action="group_program.update")
    assert event.actor_id == acme_admin.pk
    assert event.before == {"enabled": False, "points_to": "both"}
    assert event.after == {"enabled": True, "points_to": "group"}


@pytest.mark.parametrize("slabs, words", [
    ([], "1 to"),
    ([{"name": "A", "threshold": 10, "renewal_threshold": 0}], "first slab's threshold must be 0"),
    ([{"name": "A", "threshold": 0, "renewal_threshold": 0}, {"name": "B", "threshold": 0, "renewal_threshold": 0}],
     "ascend"),
    ([{"name": "A", "threshold": 0, "renewal_threshold": 0}, {"name": "B", "threshold": 9, "renewal_threshold": 10}],
     "must not pass"),
    ([{"name": "A", "threshold": 0, "renewal_threshold": 0}, {"name": "a", "threshold": 9, "renewal_threshold": 1}],
     "used twice"),
    ([{"name": "A", "threshold": 0}], "exactly name"),
    ([{"name": "A", "threshold": 0, "renewal_threshold": 0, "x": 1}], "exactly name"),
    ([{"name": "", "threshold": 0, "renewal_threshold": 0}], "name must be text"),
    ([{"name": "A", "threshold": True, "renewal_threshold": 0}], "whole numbers"),
    ([{"name": "A", "threshold": 0, "renewal_threshold": -1}], "whole numbers"),
])
def test_slabs_are_checked(acme, acme_admin, slabs, words):
    with pytest.raises(InvalidInput) as refused:
        services.program_update(actor=acme_admin, org=acme, changes={"slabs": slabs})
    assert refused.value.code == GroupErrorCode.INVALID_SLABS
    assert words in refused.value.message
    assert selectors.program_get(org=acme).pk is None or selectors.program_get(org=acme).slabs[0]["name"] == "Silver"


@pytest.mark.parametrize("changes", [{"max_group_size": 0}, {"max_group_size": "5"}, {"points_to": "nobody"},
                                     {"tracking_window_days": 0}, {"enabled": "yes"}, {"colour": "red"}])
def test_bad_program_settings_change_nothing(acme, acme_admin, changes):
    with pytest.raises(InvalidInput) as refused:
        services.program_update(actor=acme_admin, org=acme, changes=changes)
    assert refused.value.code == GroupErrorCode.INVALID_PROGRAM
    assert not AuditEvent.objects.filter(action="group_program.update").exists()


# --- groups ---------------------------------------------------------------------------------------------------


def test_groups_need_the_program_on(acme):
    with pytest.raises(InvalidInput) as refused:
        services.group_create(org=acme, external_id="f1", max_group_size=5)
    assert refused.value.code == GroupErrorCode.GROUP_LOYALTY_DISABLED
    assert not UserGroup.objects.exists()


def test_external_id_and_name_are_unique_per_org(acme, globex, program_on):
    program_on(acme)
    program_on(globex)
    services.group_create(org=acme, external_id="f1", name="Smiths", max_group_size=5)
    with pytest.raises(Conflict) as refused:
        services.group_create(org=acme, external_id="f1", name="Other", max_group_size=5)
    assert refused.value.code == GroupErrorCode.DUPLICATE_EXTERNAL_ID
    with pytest.raises(Conflict) as refused:
        services.group_create(org=acme, external_id="f2", name="SMITHS", max_group_size=5)
    assert refused.value.code == GroupErrorCode.DUPLICATE_GROUP_NAME
    services.group_create(org=globex, external_id="f1", name="Smiths", max_group_size=5)  # another org: fine


def test_group_size_is_capped_by_the_org(acme, program_on):
    program_on(acme, max_group_size=4)
    with pytest.raises(InvalidInput) as refused:
        services.group_create(org=acme, external_id="f1", max_group_size=5)
    assert refused.value.code == GroupErrorCode.INVALID_GROUP_SIZE


def test_company_hierarchy_has_no_cycles_and_families_no_parent(acme, program_on):
    program_on(acme)
    top = services.group_create(org=acme, external_id="c1", max_group_size=5, group_type="COMPANY")
    child = services.group_create(org=acme, external_id="c2", max_group_size=5, group_type="COMPANY",
                                  parent_group_id=top.pk)
    grandchild = services.group_create(org=acme, external_id="c3", max_group_size=5, group_type="COMPANY",
                                       parent_group_id=child.pk)
    with pytest.raises(InvalidInput) as refused:
        services.group_create(org=acme, external_id="f1", max_group_size=5, parent_group_id=top.pk)
    assert refused.value.code == GroupErrorCode.INVALID_PARENT
    with pytest.raises(InvalidInput):
        services._parent(acme, grandchild.pk, "COMPANY", child=top)  # top under its own grandchild: a cycle
    tree = selectors.company_hierarchy(org=acme, group=child)
    assert tree.group_id == top.pk and tree.children[0].group_id == child.pk and tree.children[0].current
    assert tree.children[0].children[0].group_id == grandchild.pk
    assert selectors.child_ids(group=top) == [child.pk]


def test_join_rules_answer_their_codes(acme, program_on, make_customer):
    program_on(acme)
    group = services.group_create(org=acme, external_id="f1", max_group_size=2)
    other = services.group_create(org=acme, external_id="f2", max_group_size=5)
    a, b, c, d = (make_customer(acme) for _ in range(4))
    services.group_join(org=acme, group_id=other.pk, members=[{"customer_id": d.pk, "primary": True}])
    rows = services.group_join(org=acme, group_id=group.pk, members=[
        {"customer_id": a.pk, "primary": True, "default_group": True},
        {"customer_id": b.pk, "primary": True},                       # primary exists
        {"customer_id": b.pk, "permissions": ["allow_points_gifting"]},  # unknown permission
        {"customer_id": d.pk, "primary": True},                       # primary elsewhere (and group has one)
        {"customer_id": b.pk, "permissions": ["allow_points_redemption"]},
        {"customer_id": c.pk},                                        # the third member of a group of 2
    ])
    assert [r.code for r in rows] == [None, GroupCode.PRIMARY_EXISTS, GroupCode.UNKNOWN_PERMISSION,
                                      GroupCode.PRIMARY_EXISTS, None, GroupCode.GROUP_FULL]
    assert rows[5].message == "reached maximum group capacity"
    fresh = services.group_create(org=acme, external_id="f3", max_group_size=5)
    rows = services.group_join(org=acme, group_id=fresh.pk, members=[{"customer_id": d.pk, "primary": True},
                                                                      {"customer_id": a.pk, "default_group": True}])
    assert [r.code for r in rows] == [GroupCode.PRIMARY_ELSEWHERE, GroupCode.DEFAULT_ELSEWHERE]
    group.refresh_from_db()
    assert group.primary_customer_id == a.pk


def test_join_names_an_unknown_customer_and_changes_nothing(acme, globex, program_on, make_customer):
    program_on(acme)
    group = services.group_create(org=acme, external_id="f1", max_group_size=5)
    stranger = make_customer(globex)
    with pytest.raises(InvalidInput) as refused:
        services.group_join(org=acme, group_id=group.pk, members=[{"customer_id": make_customer(acme).pk},
                                                                   {"customer_id": stranger.pk}])
    assert refused.value.fields == {"[1].userId": ["No such customer."]}
    assert not group.memberships.exists()


def test_primary_leaving_makes_the_group_inactive(acme, program_on, make_family):
    program_on(acme)
    group, (primary, member) = make_family(acme)
    services.group_leave(org=acme, group_id=group.pk, customer_id=member.pk)
    group.refresh_from_db()
    assert group.status == "ACTIVE"
    assert selectors.member_counts(group=group) == (1, 1)
    services.group_leave(org=acme, group_id=group.pk, customer_id=primary.pk)
    group.refresh_from_db()
    assert group.status == "INACTIVE"
    with pytest.raises(InvalidInput) as refused:
        services.group_leave(org=acme, group_id=group.pk, customer_id=primary.pk)
    assert refused.value.code == GroupErrorCode.NOT_A_MEMBER
    with pytest.raises(Conflict):
        services.group_join(org=acme, group_id=group.pk, members=[{"customer_id": member.pk}])


def test_another_orgs_group_is_not_found(acme, globex, program_on, make_family):
    program_on(acme)
    program_on(globex)
    group, _ = make_family(globex)
    with pytest.raises(NotFound):
        selectors.group_get(org=acme, group_id=group.pk)
    with pytest.raises(NotFound):
        services.group_leave(org=acme, group_id=group.pk, customer_id=1)


# --- wallets --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("points_to, member_points, group_points", [("both", 120, 120), ("group", 0, 120),
                                                                     ("member", 120, 0)])
def test_points_to_decides_whose_wallet_earns(acme, program_on, make_family, buy, points_to, member_points,
                                              group_points):
    program_on(acme, points_to=points_to)
    group, (primary, _) = make_family(acme)
    buy(acme, primary, "120.50")
    group.refresh_from_db()
    assert selectors.points_balance(org=acme, customer_id=primary.pk) == member_points
    assert group.balance == group_points
    assert group.lifetime_points == group_points
    assert GroupLedgerEntry.objects.filter(group=group).count() == (1 if group_points else 0)


def test_without_the_program_only_the_member_earns(acme, program_on, make_family, buy, acme_admin):
    program_on(acme)
    group, (primary, _) = make_family(acme)
    services.program_update(actor=acme_admin, org=acme, changes={"enabled": False})
    buy(acme, primary, "50")
    group.refresh_from_db()
    assert (group.balance, selectors.points_balance(org=acme, customer_id=primary.pk)) == (0, 50)


def test_contributions_sum_to_the_ledger(acme, program_on, make_family, buy, caller):
    program_on(acme)
    group, members = make_family(acme, members=3, permissions=["allow_points_redemption"])
    for i, amount in enumerate(["10", "25.99", "7", "100", "3"]):
        buy(acme, members[i % 3], amount)
    services.group_redeem(caller=caller, org=acme, group_id=group.pk, customer_id=members[1].pk, points=20)
    rows = list(selectors.membership_list(group=group))
    contributed = {m.customer_id: m.points_contributed for m in rows}
    assert contributed == {members[0].pk: 10 + 100, members[1].pk: 25 + 3, members[2].pk: 7}
    ledger = list(selectors.group_ledger(group=group))
    assert sum(e.points for e in ledger if e.points > 0) == sum(contributed.values())
    group.refresh_from_db()
    assert group.balance == sum(e.points for e in ledger) == 145 - 20
    assert group.lifetime_points == 145 and group.lifetime_purchases == Decimal("145.99")
    assert [e.customer_id for e in selectors.group_ledger(group=group, customer_id=members[1].pk)] == \
        [members[1].pk] * 3
    groups = list(selectors.member_groups(org=acme, customer_id=members[0].pk))
    assert [(m.group_id, m.points_contributed) for m in groups] == [(group.pk, 110)]


def test_group_redemption_needs_the_permission_and_never_overdraws(acme, program_on, make_family, buy, caller,
                                                                 make_customer):
    program_on(acme)
    group, (primary, member) = make_family(acme)
    buy(acme, primary, "30")
    services.group_join(org=acme, group_id=group.pk, members=[
        {"customer_id": primary.pk, "permissions": ["allow_points_redemption", "block_points_redemption"]},
        {"customer_id": member.pk, "permissions": ["allow_points_redemption"]}])
    with pytest.raises(InvalidInput) as refused:
        services.group_redeem(caller=caller, org=acme, group_id=group.pk, customer_id=primary.pk, points=5)
    assert refused.value.code == GroupErrorCode.REDEMPTION_NOT_ALLOWED
    with pytest.raises(InvalidInput) as refused:
        services.group_redeem(caller=caller, org=acme, group_id=group.pk, customer_id=make_customer(acme).pk,
                              points=5)
    assert refused.value.code == GroupErrorCode.NOT_A_MEMBER
    with pytest.raises(InsufficientPoints):
        services.group_redeem(caller=caller, org=acme, group_id=group.pk, customer_id=member.pk, points=31)
    assert services.group_redeem(caller=caller, org=acme, group_id=group.pk, customer_id=member.pk,
                                 points=30) == 0
    assert GroupLedgerEntry.objects.filter(group=group, kind="redeem").count() == 1


def test_transactions_of_members_while_they_are_members(acme, program_on, make_family, buy):
    program_on(acme)
    group, (primary, member) = make_family(acme, now=T0)
    buy(acme, member, "5", now=T0 - timedelta(days=1))  # before joining
    inside = buy(acme, member, "6", now=T0 + timedelta(days=1))
    services.group_leave(org=acme, group_id=group.pk, customer_id=member.pk, now=T0 + timedelta(days=2))
    buy(acme, member, "7", now=T0 + timedelta(days=3))  # after leaving
    mine = buy(acme, primary, "8", now=T0 + timedelta(days=3))
    assert list(selectors.group_transactions(org=acme, group=group)) == [mine, inside]
    assert list(selectors.group_transactions(org=acme, group=group, date_from=(T0 + timedelta(days=2)).date())) \
        == [mine]


# --- slabs (time moved) ---------------------------------------------------------------------------------------


def test_upgrade_at_once_then_renewal_then_downgrade_at_expiry(acme, program_on, make_family, buy):
    program_on(acme, tracking_window_days=100)
    group, (primary, member) = make_family(acme, now=T0)
    buy(acme, primary, "4999", now=T0)
    summary = selectors.loyalty_summary(group=UserGroup.objects.get(pk=group.pk), program=selectors.program_get(
        org=acme), now=T0)
    assert (summary.slab.name, summary.tracker, summary.gap_to_upgrade, summary.gap_to_renew) == ("Silver", 4999, 1, 0)
    buy(acme, member, "1", now=T0 + timedelta(days=1))  # 5,000: Gold at once
    group.refresh_from_db()
    assert group.slab_index == 1 and group.slab_expires_at == T0 + timedelta(days=101)
    summary = selectors.loyalty_summary(group=group, program=selectors.program_get(org=acme),
                                        now=T0 + timedelta(days=1))
    assert (summary.slab.name, summary.next_slab.name, summary.gap_to_upgrade, summary.gap_to_renew) == \
        ("Gold", "Platinum", 15000, 0)

    assert services.review_due_slabs(now=T0 + timedelta(days=100)) == 0  # not expired yet
    # Earn 4,000 on day 60: at expiry (day 101) the window (after day 1, up to day 101) holds 4,000: Gold renews.
    buy(acme, primary, "4000", now=T0 + timedelta(days=60))
    assert services.review_due_slabs(now=T0 + timedelta(days=101)) == 1
    group.refresh_from_db()
    assert group.slab_index == 1 and group.slab_expires_at == T0 + timedelta(days=201)
    assert services.review_due_slabs(now=T0 + timedelta(days=101)) == 0  # idempotent
    # Day 201: the window (day 101 to 201) holds nothing: down to Silver, which never expires.
    assert services.review_due_slabs(now=T0 + timedelta(days=201)) == 1
    group.refresh_from_db()
    assert group.slab_index == 0 and group.slab_expires_at is None
    history = [(e.reason, e.from_slab, e.to_slab, e.tracker) for e in selectors.slab_history(group=group)]
    assert history == [("downgrade", "Gold", "Silver", 0), ("renewal", "Gold", "Gold", 4000),
                       ("upgrade", "Silver", "Gold", 5000)]


def test_a_big_purchase_jumps_slabs_and_drops_one_at_a_time(acme, program_on, make_family, buy):
    program_on(acme, tracking_window_days=30)
    group, (primary, _) = make_family(acme, now=T0)
    buy(acme, primary, "25000", now=T0)
    group.refresh_from_db()
    assert group.slab_index == 2
    summary = selectors.loyalty_summary(group=group, program=selectors.program_get(org=acme), now=T0)
    assert summary.next_slab is None and summary.gap_to_upgrade is None and summary.gap_to_renew == 0
    services.review_due_slabs(now=T0 + timedelta(days=30))
    group.refresh_from_db()
    assert group.slab_index == 1  # one slab, not to the bottom
    assert GroupSlabEvent.objects.filter(group=group, reason="upgrade", from_slab="Silver",
                                         to_slab="Platinum").exists()


def test_tracker_series_covers_the_window(acme, program_on, make_family, buy):
    program_on(acme, tracking_window_days=90)
    group, (primary, _) = make_family(acme, now=T0 - timedelta(days=200))
    buy(acme, primary, "10", now=T0 - timedelta(days=100))  # outside
    buy(acme, primary, "20", now=T0 - timedelta(days=80))
    buy(acme, primary, "30", now=T0)
    series = selectors.tracker_series(group=group, program=selectors.program_get(org=acme), now=T0)
    assert len(series) == 3 and [p["points"] for p in series] == [20, 0, 30]
    assert series[-1]["tracker"] == 50 == selectors.tracker(group=group, program=selectors.program_get(org=acme),
                                                             now=T0)


def test_search_finds_groups_by_name_external_id_and_primary_identifier(acme, program_on, make_family):
    program_on(acme)
    group, (primary, _) = make_family(acme, name="The Smiths", external_id="SMITH-01")
    make_family(acme, name="Joneses", external_id="JONES-01")
    for q in ("smith", "SMITH-0", primary.email, primary.mobile):
        assert [g.pk for g in selectors.group_list(org=acme, q=q)] == [group.pk], q
    row = selectors.group_list(org=acme, q="smith").get()
    assert (row.active_members, row.exited_members) == (2, 0)


def test_the_daily_task_reviews_expired_slabs_once(acme, program_on, make_family, buy):
    from datetime import datetime

    from loyalty import tasks

    program_on(acme, tracking_window_days=10)
    group, (primary, _) = make_family(acme)
    buy(acme, primary, "6000", now=timezone_now() - timedelta(days=30))  # Gold a month ago, expired since
    assert tasks.review_group_slabs.call_local() == 1  # nothing earned in the window: down to Silver
    assert tasks.review_group_slabs.call_local() == 0  # idempotent
    group.refresh_from_db()
    assert group.slab_index == 0
    event = AuditEvent.objects.get(action="user_group.slab_downgrade")
    assert event.actor_kind == "task" and "loyalty.review_group_slabs" in event.actor_label
    runs = tasks.review_group_slabs.task_class().validate_datetime
    assert runs(datetime(2026, 3, 1, 0, 15)) and not runs(datetime(2026, 3, 1, 1, 15))  # daily, at 00:15


def timezone_now():
    from django.utils import timezone

    return timezone.now()
