"""Till codes and usernames are global login names, so a brand names its tills and users only inside its
own namespace `<org code>-…`. Outside it the answer is one 400 outside_namespace, whether the name is
taken or free (a brand learns nothing about other brands' names); platform staff may use any name."""

import pytest
from django.test import Client

from accessadmin.models import User
from accessadmin.privileges import Privilege
from accessadmin.testing import make_org, make_user
from groups.builtins import ADMIN
from stores.models import Till

pytestmark = pytest.mark.django_db

PASSWORD = "a-good-password-9"
OUTSIDE = {"code": "outside_namespace", "message": "Names in this organization start with acme-.",
           "fields": {"username": ["Must start with acme-."]}}


@pytest.fixture
def taken_elsewhere(make_store, make_till, globex, globex_admin):
    """globex-admin (a user) and globex-s1-t1 (a till) exist in globex."""
    make_till(globex, make_store(globex, "globex-s1"), code="globex-s1-t1")


def create_user(client, username: str, **headers):
    return client.post("/api/v1/users/", {"username": username, "password": PASSWORD}, format="json", **headers)


def test_a_brand_creates_users_only_in_its_namespace_and_learns_nothing_outside_it(acme_admin, api,
                                                                                   taken_elsewhere):
    client = api(acme_admin)
    before = User.objects.count()
    answers = [create_user(client, name) for name in ("globex-admin", "globex-newbie", "bob", "ACMEbob")]
    assert [r.status_code for r in answers] == [400] * 4
    assert all(r.json() == OUTSIDE for r in answers)
    assert User.objects.count() == before
    assert create_user(client, "acme-bob").status_code == 201
    assert create_user(client, "ACME-Carol").status_code == 201  # the namespace ignores case, as usernames do
    dup = create_user(client, "acme-bob")
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate_username"


def test_the_namespace_of_an_org_whose_code_extends_yours_is_not_yours(acme_admin, api):
    make_org("acme-eu", "Acme Europe")
    client = api(acme_admin)
    assert create_user(client, "acme-eu-bob").json() == OUTSIDE
    assert create_user(client, "acme-eubob").status_code == 201


def test_the_user_page_refuses_names_outside_the_namespace_alike(acme_admin, pages, taken_elsewhere):
    client = pages(acme_admin)
    taken = client.post("/users/new/", {"username": "globex-admin", "password": PASSWORD})
    free = client.post("/users/new/", {"username": "globex-free", "password": PASSWORD})
    assert taken.status_code == free.status_code == 200
    assert taken.context["form"].errors == free.context["form"].errors == {"username": ["Must start with acme-."]}
    assert not User.objects.filter(username="globex-free").exists()
    assert client.post("/users/new/", {"username": "acme-dave", "password": PASSWORD}).status_code == 302


def test_platform_staff_may_use_any_name(acme, platform_staff, api, taken_elsewhere):
    client, in_acme = api(platform_staff), {"HTTP_X_ORG": "acme"}
    assert create_user(client, "support-desk", **in_acme).status_code == 201
    assert User.objects.get(username="support-desk").org == acme
    assert create_user(client, "globex-admin", **in_acme).json()["code"] == "duplicate_username"
    r = client.post("/api/v1/stores/", {"code": "s77", "name": "Staff store"}, format="json", **in_acme)
    assert r.status_code == 201
    r = client.post("/api/v1/stores/s77/tills/", {"code": "anything-t1"}, format="json", **in_acme)
    assert r.status_code == 201 and r.json()["code"] == "anything-t1"


def test_only_platform_staff_add_or_rename_users_in_the_django_admin(acme, platform_staff):
    brand_staff = make_user(acme, username="acme-staff", is_staff=True, is_superuser=True,
                            privileges=[Privilege.ADMIN])
    brand = Client()
    brand.force_login(brand_staff)
    assert brand.get("/admin/accessadmin/user/add/").status_code == 403
    assert brand.post("/admin/accessadmin/user/add/", {"username": "globex-squat", "password1": PASSWORD,
                                                       "password2": PASSWORD}).status_code == 403
    assert not User.objects.filter(username="globex-squat").exists()
    staff = Client()
    staff.force_login(platform_staff)
    assert staff.get("/admin/accessadmin/user/add/").status_code == 200


# --- tills -------------------------------------------------------------------------------------------

TILL_OUTSIDE = {"code": "outside_namespace", "message": "Names in this organization start with acme-.",
                "fields": {"code": ["Must start with acme-."]}}


@pytest.fixture
def store(make_store, acme):
    return make_store(acme, "acme-s001")


def create_till(client, code: str, store_code: str = "acme-s001"):
    return client.post(f"/api/v1/stores/{store_code}/tills/", {"code": code}, format="json")


def test_a_brand_creates_tills_only_in_its_namespace(acme_admin, api, store, taken_elsewhere):
    client = api(acme_admin)
    answers = [create_till(client, code) for code in ("globex-s1-t1", "globex-s1-t2", "pos-1")]
    assert [r.status_code for r in answers] == [400] * 3
    assert all(r.json() == TILL_OUTSIDE for r in answers)
    assert Till.objects.filter(org=store.org).count() == 0
    assert create_till(client, "acme-pos-1").status_code == 201
    dup = create_till(client, "acme-pos-1")
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate_code"


def test_a_till_code_made_up_for_a_store_outside_the_namespace_is_inside_it(acme, acme_admin, api):
    client = api(acme_admin)
    assert client.post("/api/v1/stores/", {"code": "s1", "name": "Main street"}, format="json").status_code == 201
    made = create_till(client, "", store_code="s1")
    assert made.status_code == 201 and made.json()["code"] == "acme-s1-t1"
    assert create_till(client, "", store_code="s1").json()["code"] == "acme-s1-t2"


def test_the_till_page_refuses_codes_outside_the_namespace_alike(acme_admin, pages, store, taken_elsewhere):
    client = pages(acme_admin)
    taken = client.post("/stores/-/tills/new/", {"store": "acme-s001", "code": "globex-s1-t1"})
    free = client.post("/stores/-/tills/new/", {"store": "acme-s001", "code": "globex-s1-t9"})
    assert taken.status_code == free.status_code == 200
    assert taken.context["form"].errors == free.context["form"].errors == {"code": ["Must start with acme-."]}
    assert not Till.objects.filter(code="globex-s1-t9").exists()


def test_the_till_api_creates_tills_only_in_the_namespace_of_its_org(builtin, make_store, make_till, till_client,
                                                                     acme, taken_elsewhere):
    admin_till = make_till(acme, make_store(acme, "acme-s002", group=builtin(ADMIN)))
    client = till_client(admin_till.code)
    taken = client.post("/v2/tills", {"store": "acme-s002", "code": "globex-s1-t1"}, format="json")
    free = client.post("/v2/tills", {"store": "acme-s002", "code": "globex-s1-t7"}, format="json")
    assert taken.status_code == free.status_code == 400
    assert taken.json() == free.json()
    assert taken.json()["errors"][0]["message"] == "Names in this organization start with acme-."
    assert client.post("/v2/tills", {"store": "acme-s002", "code": "acme-s002-t9"},
                       format="json").status_code == 201
