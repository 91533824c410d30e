"""The OpenAPI schema is a contract a generated client can rely on, for every operation of the three API surfaces:
a success answer with a real schema, each error in its surface's shape, one security choice per surface and JSON
bodies. (`make fuzz` then holds the live server to it.)"""

import pytest
from drf_spectacular.generators import SchemaGenerator

SURFACES = {
    "/v2/": ("TillError", [{"tillBasicAuth": []}, {"apiClientBearerAuth": []}]),
    "/api/v1/": ("ApiError", [{"bearerAuth": []}, {"cookieAuth": []}]),
    "/ccadmin/v1/": ("CcadminError", [{"bearerAuth": []}, {"cookieAuth": []}]),
}
METHODS = ("get", "post", "put", "patch", "delete")
PLACEHOLDER = {"type": "object", "additionalProperties": {}}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        surface = next((p for p in SURFACES if path.startswith(p)), None)
        for method in METHODS:
            if surface and method in item:
                yield path, method, surface, item[method]


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_every_operation_of_the_three_surfaces_is_described(schema):
    found = {surface: 0 for surface in SURFACES}
    for _path, _method, surface, _operation in _operations(schema):
        found[surface] += 1
    assert found["/v2/"] >= 17
    assert found["/api/v1/"] >= 40 and found["/ccadmin/v1/"] >= 30, found


def test_each_operation_answers_one_success_with_a_real_schema(schema):
    for path, method, _surface, operation in _operations(schema):
        successes = [s for s in operation["responses"] if s.startswith("2")]
        assert len(successes) == 1, (method, path, successes)
        response = operation["responses"][successes[0]]
        if successes[0] == "204":
            assert "content" not in response, (method, path)
            continue
        (media_type, content), = response["content"].items()
        body = _resolve(schema, content["schema"])
        assert body != PLACEHOLDER, f"{method} {path} answers an undescribed object"
        if media_type == "application/json":
            if body.get("type") == "array":
                # A bare list is the source platform's shape for a few till operations (e.g. a user group's
                # members); its items must still be described objects.
                body = _resolve(schema, body["items"])
                assert body != PLACEHOLDER, f"{method} {path} answers a list of undescribed objects"
            assert body.get("properties") or body.get("additionalProperties"), (method, path)


@pytest.mark.parametrize("path, method", [
    ("/v2/customers/", "post"), ("/v2/transactions/", "post"), ("/v2/events/", "post"), ("/v2/stores/", "post"),
    ("/v2/tills/", "post"), ("/v2/behavioral-events/", "post"), ("/api/v1/users/", "post"),
    ("/api/v1/access-groups/", "post"), ("/api/v1/stores/", "post"), ("/api/v1/api-clients/", "post"),
    ("/api/v1/stores/{code}/tills/", "post"), ("/ccadmin/v1/adminRoles/", "post"),
    ("/ccadmin/v1/adminSecurityCriteria/", "post"), ("/ccadmin/v1/catalogs/", "post"),
    ("/ccadmin/v1/profiles/", "post"),
])
def test_creates_answer_201(schema, path, method):
    assert "201" in schema["paths"][path][method]["responses"]


def test_every_error_is_in_the_surface_shape_and_the_usual_ones_are_documented(schema):
    for path, method, surface, operation in _operations(schema):
        component = SURFACES[surface][0]
        errors = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
        for status, response in errors.items():
            assert response["content"]["application/json"]["schema"] == {
                "$ref": f"#/components/schemas/{component}"}, (method, path, status)
        assert "503" in errors, (method, path)
        if operation.get("security"):
            assert {"401", "403"} <= set(errors), (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= set(errors), (method, path)
        if "{" in path:
            assert "404" in errors, (method, path)
        if surface == "/v2/":
            assert "429" in errors, (method, path)


def test_error_components_describe_each_surface_shape(schema):
    components = schema["components"]["schemas"]
    assert set(components["ApiError"]["required"]) == {"code", "message"}
    assert set(components["CcadminError"]["required"]) == {"errorCode", "message", "status"}
    till = components["TillError"]
    assert set(till["required"]) == {"warnings", "errors"}
    assert set(till["properties"]["errors"]["items"]["required"]) == {"status", "code", "message"}
    assert 4000 in till["properties"]["errors"]["items"]["properties"]["code"]["enum"]


def test_one_security_choice_per_surface_and_login_needs_none(schema):
    for path, method, surface, operation in _operations(schema):
        if path == "/ccadmin/v1/login":
            assert "security" not in operation
            assert {"401", "429"} <= set(operation["responses"])
            continue
        assert operation["security"] == SURFACES[surface][1], (method, path)
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tillBasicAuth"]["scheme"] == "basic"
    assert schemes["apiClientBearerAuth"]["scheme"] == schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["cookieAuth"] == {**schemes["cookieAuth"], "type": "apiKey", "in": "cookie", "name": "sessionid"}


def test_bodies_are_json_and_input_serializers_refuse_unknown_fields(schema):
    for path, method, _surface, operation in _operations(schema):
        if "requestBody" not in operation:
            continue
        types = set(operation["requestBody"]["content"])
        expected = {"application/json", "application/x-www-form-urlencoded"} \
            if path == "/ccadmin/v1/login" else {"application/json"}
        if path == "/api/v1/privacy/deletion-requests/bulk/":
            expected = {"multipart/form-data"}  # a CSV file upload of up to 100,000 rows
        assert types == expected, (method, path, types)
    components = schema["components"]["schemas"]
    for name in ("TransactionInput", "PointsInput", "CustomerInput"):
        assert components[name]["additionalProperties"] is False, name


def test_request_limits_fit_the_columns(schema):
    components = schema["components"]["schemas"]
    points = components["PointsInput"]["properties"]["points"]
    assert (points["minimum"], points["maximum"]) == (1, 2**31 - 1)
    transaction = components["TransactionInput"]
    assert transaction["properties"]["bill_number"]["maxLength"] == 100
    assert set(transaction["required"]) == {"customer_id", "bill_number", "amount"}
    customer_id = schema["paths"]["/v2/customers/{customer_id}/"]["get"]["parameters"][0]["schema"]
    assert (customer_id["minimum"], customer_id["maximum"]) == (1, 2**63 - 1)
