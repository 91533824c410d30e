import pytest

from groups.admin import ApiResourceForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("patterns,ok", [
    (["/v2/things", "/v2/things/*", "/v2/things/**"], True),
    (["v2/things"], False),
    (["/v2/**/x"], False),
    (["/v2/th*ngs"], False),
    ("/v2/things", False),
])
def test_catalogue_form_checks_path_patterns(patterns, ok):
    form = ApiResourceForm(data={"key": "thing", "name": "Thing", "position": 1, "description": "",
                                 "data_paths": __import__("json").dumps(patterns), "config_paths": "[]"})
    assert form.is_valid() is ok, form.errors


def test_staff_can_open_the_catalogue_in_django_admin(platform_staff, pages):
    client = pages(platform_staff)
    assert client.get("/admin/groups/apiresource/").status_code == 200
    assert b"Customer" in client.get("/admin/groups/apiresource/").content
