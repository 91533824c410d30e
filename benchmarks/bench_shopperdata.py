"""Masking cost per profile with 100 properties, and the profile list endpoint for 100 rows.

Measured side by side in one run:
  - masking.present() with a precomputed AccessPlan vs a plain dict copy of the
    same values (the floor any read path pays) and vs deciding every property
    again for each profile (what a per-row policy call would cost);
  - GET /ccadmin/v1/profiles?limit=100 for a CSR (masked) vs the same 100 rows
    fetched from the ORM and copied to dicts with no masking (the floor).
"""

from benchmarks.common import report, side_by_side, throwaway_database

PROPERTIES = 100
ROWS = 100
MASK_CALLS = 2_000


def _seed():
    from accessadmin import services as core
    from accessadmin.models import AccessRight, Role, User
    from accessadmin.privileges import Privilege
    from shopperdata import selectors, services

    core.ensure_builtin_privileges()
    org = core.org_create(actor=None, code="bench", name="Bench")
    ar10 = AccessRight.objects.create(org=org, code="ar10", name="AR 10")
    Role.objects.create(org=org, code="audit", name="Audit").access_rights.add(ar10)
    builtin = len(selectors.property_list(org=org))
    custom = {}
    for i in range(PROPERTIES - builtin):
        attrs = {"type": "shortText", "label": f"Custom {i}"}
        if i % 3 == 1:  # masked for a CSR
            attrs.update(readRole="audit", securityMaskingValue="XXXXX")
        elif i % 3 == 2:  # hidden for a CSR
            attrs.update(readAccessRight="ar10", readSecurityLevel="deny")
        custom[f"c_{i:03d}"] = attrs
    services.shopper_type_update(actor=None, org=org, properties=custom)
    services.shopper_type_update(actor=None, org=org, properties={
        "lastName": {"readRole": "audit", "writeRole": "audit", "readAccessRight": "ar10",
                     "writeAccessRight": "ar10", "securityMaskingValue": "XXXXX"}})
    values = {code: f"value {code}" for code in custom}
    for i in range(ROWS):
        services.profile_create(actor=None, org=org, values={
            **values, "email": f"p{i}@example.com", "firstName": f"Pat{i}", "lastName": "Lee", "gender": "female",
            "dateOfBirth": "1990-01-01", "abandonedOrderCount": i})
    csr = User.objects.create(org=org, username="bench-csr")
    csr.roles.set(Role.objects.filter(org=org, code="csAgentRole"))
    assert Privilege.CS_AGENT in {ar.code for ar in AccessRight.objects.filter(roles__users=csr)}
    return org, csr


def main():
    with throwaway_database() as connection:
        from rest_framework.test import APIClient

        from accessadmin import services as core
        from shopperdata import selectors
        from shopperdata.masking import present
        from shopperdata.models import Profile
        from shopperdata.policies import property_access

        org, csr = _seed()
        plan = selectors.plan_for(actor=csr, org=org)
        assert len(plan.properties) == PROPERTIES
        profile = Profile.objects.filter(org=org).first()
        values = selectors.profile_values(profile)
        shown = present(values, plan)
        outcomes = {o: sum(1 for e in plan.entries.values() if e.read == o) for o in ("visible", "masked", "hidden")}

        def mask_many():
            for _ in range(MASK_CALLS):
                present(values, plan)

        def copy_many():
            for _ in range(MASK_CALLS):
                dict(values)

        props = list(plan.properties.values())

        def decide_per_row():
            for _ in range(MASK_CALLS // 20):
                out = {}
                for p in props:
                    access = property_access(plan.viewer, p)
                    if access.read == "visible":
                        out[p.code] = values.get(p.code)
                    elif access.read == "masked":
                        out[p.code] = access.mask

        t_mask, t_copy = side_by_side(mask_many, copy_many)
        t_decide, _ = side_by_side(decide_per_row, lambda: None, rounds=5)
        per_mask = t_mask / MASK_CALLS
        per_copy = t_copy / MASK_CALLS
        per_decide = t_decide / (MASK_CALLS // 20)

        client = APIClient()
        key, _ = core.token_issue(user=csr)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        url = f"/ccadmin/v1/profiles?limit={ROWS}"

        def api_list():
            r = client.get(url)
            assert r.status_code == 200 and len(r.json()["items"]) == ROWS

        def orm_floor():
            rows = list(Profile.objects.filter(org=org).order_by("id")[:ROWS])
            [selectors.profile_values(p) for p in rows]

        api_list()
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            api_list()
        t_api, t_orm = side_by_side(api_list, orm_floor, rounds=7)

        report(f"shopperdata: masking one profile of {PROPERTIES} properties "
               f"({outcomes['visible']} visible, {outcomes['masked']} masked, {outcomes['hidden']} hidden for a CSR)", [
            ("masking.present() per profile", f"{per_mask * 1e6:.2f} µs"),
            ("plain dict copy per profile", f"{per_copy * 1e6:.2f} µs"),
            ("present / dict copy", f"{per_mask / per_copy:.1f}×"),
            ("deciding every property per row", f"{per_decide * 1e6:.2f} µs ({per_decide / per_mask:.0f}× present)"),
            ("lastName shown to the CSR", repr(shown["lastName"])),
        ])
        report(f"shopperdata: GET /ccadmin/v1/profiles, {ROWS} rows × {PROPERTIES} properties ({connection.vendor})", [
            ("API list as CSR (masked)", f"{t_api * 1e3:.1f} ms"),
            ("ORM fetch + dict, no masking, no HTTP", f"{t_orm * 1e3:.1f} ms"),
            ("API / ORM floor", f"{t_api / t_orm:.1f}×"),
            ("masking share of the API time", f"{per_mask * ROWS / t_api * 100:.1f} %"),
            ("queries per request", str(len(queries))),
        ])
