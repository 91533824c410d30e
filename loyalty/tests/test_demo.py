"""The group loyalty demo: acme's program on, five families and a company with two children, a year of
transactions whose slabs agree with the rules, the Andersons a few hundred points from Gold; seeded once."""

import pytest

from loyalty import demo, selectors, services
from loyalty.models import UserGroup

pytestmark = pytest.mark.django_db


def test_demo_groups(acme, make_customer):
    for _ in range(35):
        make_customer(acme)
    demo.seed(orgs={"acme": acme})
    demo.seed(orgs={"acme": acme})  # idempotent
    program = selectors.program_get(org=acme)
    assert program.enabled
    groups = {g.external_id: g for g in selectors.group_list(org=acme)}
    assert sorted(groups) == ["CO-0001", "CO-0002", "CO-0003", "FAM-0001", "FAM-0002", "FAM-0003", "FAM-0004",
                              "FAM-0005"]
    assert sum(g.group_type == "FAMILY" for g in groups.values()) == 5
    tree = selectors.company_hierarchy(org=acme, group=groups["CO-0002"])
    assert tree.external_id == "CO-0001" and sorted(c.external_id for c in tree.children) == ["CO-0002", "CO-0003"]
    andersons = selectors.loyalty_summary(group=groups["FAM-0001"], program=program)
    assert andersons.slab.name == "Silver" and 100 <= andersons.gap_to_upgrade <= 500
    for group in groups.values():
        contributed = sum(m.points_contributed for m in selectors.membership_list(group=group))
        assert contributed == group.lifetime_points == group.balance > 0
        assert selectors.group_transactions(org=acme, group=group).count() == 12 * group.active_members
    # The replayed year leaves nothing for the daily review to do today, and the top slab matches the tracker.
    assert services.review_due_slabs() == 0
    assert any(UserGroup.objects.get(pk=g.pk).slab_index > 0 for g in groups.values())
