"""The writer process of the version stress test (test_versions_stress.py): `python -m
enforcement.tests.stress_writer` reads one JSON command per line, makes the change through the product's
own services (or a model delete, as the admin does) and answers one JSON line once the service returned,
i.e. once the change is committed and its on_commit work (the version bump) is done."""

import json
import sys


def main() -> None:
    import django

    django.setup()
    from django.utils import timezone
    from oauth2_provider.models import AccessToken

    from accessadmin.services import ensure_builtin_privileges, org_create
    from enforcement import services as enforcement_services
    from groups import services as group_services
    from groups.builtins import POS, ensure_builtins
    from groups.models import AccessGroup, ApiResource
    from stores import services as store_services
    from stores.models import Till

    ensure_builtin_privileges()
    ensure_builtins()
    state: dict = {}

    def group(key):
        return AccessGroup.objects.get(pk=state["groups"][key]) if key != POS else AccessGroup.objects.get(
            org=None, name=POS)

    def setup(cmd):
        org = org_create(actor=None, code=cmd["org"], name="Stress")
        state["org"] = org
        groups = {}
        for key, grants in cmd["groups"].items():
            g, _ = group_services.group_create(actor=None, org=org, name=cmd["names"][key],
                                               grants=frozenset(tuple(c) for c in grants))
            groups[key] = g.pk
        state["groups"] = groups
        store = store_services.store_create(actor=None, org=org, code=cmd["store"], name="Stress store")
        state["store"] = store
        store_services.till_create(actor=None, org=org, store=store, code=cmd["till"], secret=cmd["secret"])
        client, _secret = store_services.api_client_create(actor=None, org=org, name="stress client",
                                                           access_group=group(cmd["client_group"]))
        state["client"] = client
        AccessToken.objects.create(application_id=client.application_id, token=cmd["token"], scope="",
                                   expires=timezone.now() + timezone.timedelta(hours=2))
        return {}

    def org():
        return state["org"]

    def till():
        return Till.objects.get(code=state["till_code"])

    def apply(cmd):
        op = cmd["op"]
        if op == "setup":
            state["till_code"] = cmd["till"]
            return setup(cmd)
        if op == "allocate":
            store = state["store"]
            store.refresh_from_db()
            store_services.store_set_group(actor=None, org=org(), store=store,
                                           group=group(cmd["group"]) if cmd["group"] else None)
        elif op == "cells":
            group_services.group_update(actor=None, org=org(), group=group(cmd["group"]),
                                        grants=frozenset(tuple(c) for c in cmd["grants"]))
        elif op == "rename":
            group_services.group_update(actor=None, org=org(), group=group(cmd["group"]), name=cmd["name"])
        elif op == "default":
            group_services.default_group_set(actor=None, org=org(), group=group(cmd["group"]))
        elif op == "basic":
            enforcement_services.org_enforcement_update(actor=None, org=org(), basic_auth_enabled=cmd["on"])
        elif op == "report_only":
            enforcement_services.org_enforcement_update(
                actor=None, org=org(), enforcement_mode="report_only" if cmd["on"] else "enforce")
        elif op == "rotate":
            _till, secret = store_services.till_rotate_secret(actor=None, org=org(), till=till())
            return {"secret": secret}
        elif op == "active":
            store_services.till_set_active(actor=None, org=org(), till=till(), active=cmd["on"])
        elif op == "delete_till":
            till().delete()
        elif op == "create_till":
            store_services.till_create(actor=None, org=org(), store=state["store"], code=state["till_code"],
                                       secret=cmd["secret"])
        elif op == "client_group":
            store_services.api_client_set_group(actor=None, org=org(), client=state["client"],
                                                access_group=group(cmd["group"]))
        elif op == "extra":
            resource = ApiResource.objects.get(key="customer")
            paths = [p for p in resource.data_paths if p != "/v2/extra"]
            resource.data_paths = paths + (["/v2/extra"] if cmd["on"] else [])
            resource.save()
        else:
            raise ValueError(op)
        return {}

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            out = apply(cmd)
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails
            out = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
