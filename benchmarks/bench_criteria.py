"""Security-criteria decision for a user with 50 roles holding 200 criteria (goal: ≤ 50 µs warm).

Warm = the user's criteria already loaded for this request (one query, then kept on the
user instance). Baselines, measured in the same run and interleaved:
  - a naive decision that scans every criterion of every role on each call;
  - the cold decision: the same call after dropping the cache (loads the rules: one query).
"""

import random

from benchmarks.common import report, side_by_side, throwaway_database

ROLES = 50
CRITERIA = 200
CALLS = 20_000


def _seed():
    from accessadmin import services as core
    from accessadmin.models import Role, User
    from criteria.models import CriterionRole, SecurityConstraint, SecurityCriterion
    from criteria.resources import Resource

    core.ensure_builtin_privileges()
    org = core.org_create(actor=None, code="bench", name="Bench")
    rng = random.Random(6)
    roles = [Role.objects.create(org=org, code=f"r{i}", name=f"Role {i}") for i in range(ROLES)]
    types = ["grant"] * 5 + ["deny"] * 4 + ["grantNone"]
    criteria = SecurityCriterion.objects.bulk_create([
        SecurityCriterion(org=org, code=f"c{i}", name=f"Criterion {i}",
                          resource=(Resource.CATALOG if i % 2 else Resource.PRICE_GROUP).value,
                          constraint_type=types[i % len(types)])
        for i in range(CRITERIA)])
    SecurityConstraint.objects.bulk_create([
        SecurityConstraint(criterion=c, config="cfg", values=[f"Item{rng.randrange(400)}" for _ in range(5)])
        for c in criteria])
    CriterionRole.objects.bulk_create([CriterionRole(criterion=c, role=roles[i % ROLES])
                                       for i, c in enumerate(criteria)])
    user = User.objects.create(org=org, username="bench-user")
    user.roles.set([*roles, Role.objects.get(org=org, code="catalogRole")])
    return user


def _naive_decider(user):
    """Returns decide(item) that re-scans every (role, criterion) row per call: the obvious implementation."""
    from criteria.models import CriterionRole
    from criteria.resources import Resource

    rows = [(ctype, set(values or ())) for ctype, values in CriterionRole.objects.filter(
        role__users=user, criterion__resource=Resource.CATALOG.value).values_list(
        "criterion__constraint_type", "criterion__constraints__values")]

    def decide(item):
        if any(t == "deny" and item in v for t, v in rows):
            return False
        grants = [v for t, v in rows if t == "grant"]
        if grants:
            return any(item in v for v in grants)
        return not any(t == "grantNone" for t, _ in rows)

    return decide


def main():
    with throwaway_database():
        from accessadmin.identity import forget as forget_rights
        from criteria import policies
        from criteria.resources import Action, Resource

        user = _seed()
        items = [f"Item{i}" for i in range(400)]
        policies.decide(user, Resource.CATALOG, items[0], Action.UPDATE)  # warm the cache
        rules = policies.rules_for(user)
        n_entries = sum(len(r.entries) for r in rules.values())
        naive = _naive_decider(user)

        # Both answers agree on every item.
        for item in items:
            assert policies.decide(user, Resource.CATALOG, item, Action.UPDATE).allowed == naive(item)

        it_a, it_b = iter(items * CALLS), iter(items * CALLS)  # never runs dry
        warm, scan = side_by_side(lambda: policies.decide(user, Resource.CATALOG, next(it_a), Action.UPDATE),
                                  lambda: naive(next(it_b)), rounds=7, number=CALLS // 10)

        def cold():
            policies.forget(user)
            forget_rights(user)
            policies.decide(user, Resource.CATALOG, "Item1", Action.UPDATE)

        warm2, cold_t = side_by_side(lambda: policies.decide(user, Resource.CATALOG, "Item1", Action.UPDATE),
                                     cold, rounds=7, number=50)
        allowed = sum(policies.decide(user, Resource.CATALOG, i, Action.UPDATE).allowed for i in items)

    report("criteria: decision for a user with 50 roles and 200 criteria", [
        ("criteria reaching the user", f"{n_entries} (role, criterion) entries; {allowed}/400 catalogs editable"),
        ("warm decide()", f"{warm * 1e6:.2f} µs per decision (goal ≤ 50 µs: {'met' if warm <= 50e-6 else 'MISSED'})"),
        ("naive scan of all criteria", f"{scan * 1e6:.2f} µs per decision"),
        ("ratio naive / warm", f"{scan / warm:.1f}×"),
        ("cold decide() (loads rules)", f"{cold_t * 1e3:.2f} ms per decision (2 queries)"),
        ("ratio cold / warm", f"{cold_t / warm2:.0f}×"),
    ])
