"""Every error code is a member of an app's enum, and docs/errors.md lists exactly those members.

The scan reads the source of every app of this project (whatever the app: the core imports none of them)
and refuses a string literal where an error code goes: a `code=` of an AppError or of a helper that takes
one, a `code = "..."` of an AppError subclass. Where an error is raised with an enum member, the member's
documented status is the status the error class answers with.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from accessadmin import error_reference, registry
from accessadmin.errors import AppError, ErrorCode, NumericErrorCode


def _project_apps():
    base = Path(settings.BASE_DIR).resolve()
    return [config for config in apps.get_app_configs() if Path(config.path).resolve().parent == base]


def _sources():
    for config in _project_apps():
        for path in sorted(Path(config.path).rglob("*.py")):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            yield path, ast.parse(path.read_text(), str(path))


def _subclasses(cls) -> dict[str, type]:
    found = {}
    for sub in cls.__subclasses__():
        found[sub.__name__] = sub
        found.update(_subclasses(sub))
    return found


ERRORS = {"AppError": AppError, **_subclasses(AppError)}
ENUMS = {cls.__name__: cls for cls in [*_subclasses(ErrorCode).values(), *_subclasses(NumericErrorCode).values()]}


def _helpers_with_a_code_parameter(tree) -> set[str]:
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and any(arg.arg == "code" for arg in [*node.args.args, *node.args.kwonlyargs])}


def _callee(node: ast.Call) -> str:
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")


def _literal(node) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def test_the_reference_lists_exactly_the_registered_codes():
    text = error_reference.DOCS_PATH.read_text()
    assert text == error_reference.render(), "docs/errors.md is out of date: run manage.py error_reference"
    enums = registry.error_code_enums()
    assert error_reference.documented_codes(text) == {
        (f"{enum.__module__}.{enum.__qualname__}", str(member.value)) for enum in enums for member in enum}
    # Every enum of the project is registered, and every member says what it means.
    assert set(ENUMS.values()) == set(enums)
    assert all(member.meaning for enum in enums for member in enum)


def test_the_reference_is_served(client):
    response = client.get("/api/docs/errors")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content.decode() == error_reference.render()


def test_no_code_is_a_string_literal_outside_the_enums():
    found = []
    for path, tree in _sources():
        helpers = _helpers_with_a_code_parameter(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (_callee(node) in ERRORS or _callee(node) in helpers):
                found += [f"{path}:{node.lineno} {_callee(node)}(code={ast.unparse(kw.value)})"
                          for kw in node.keywords if kw.arg == "code" and _literal(kw.value)]
            if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") in ERRORS for b in node.bases):
                found += [f"{path}:{st.lineno} class {node.name}: code = {ast.unparse(st.value)}" for st in node.body
                          if isinstance(st, ast.Assign) and any(getattr(t, "id", "") == "code" for t in st.targets)
                          and _literal(st.value)]
    assert found == []


def test_a_raised_code_is_answered_with_the_status_its_enum_documents():
    mismatched, scanned = [], 0
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _callee(node) in ERRORS):
                continue
            code = next((kw.value for kw in node.keywords if kw.arg == "code"), None)
            if not (isinstance(code, ast.Attribute) and getattr(code.value, "id", "") in ENUMS):
                continue
            explicit = next((kw.value.value for kw in node.keywords
                             if kw.arg == "status" and isinstance(kw.value, ast.Constant)), None)
            status = explicit or ERRORS[_callee(node)].status
            member = ENUMS[code.value.id][code.attr]
            scanned += 1
            if member.status is not None and member.status != status:
                mismatched.append(f"{path}:{node.lineno} {_callee(node)} answers {status}, "
                                  f"{code.value.id}.{code.attr} documents {member.status}")
    assert scanned > 100  # the scan does reach the raise sites
    assert mismatched == []


@pytest.mark.parametrize("bad", ['raise InvalidInput("x", code="made_up")', 'raise Conflict(code=f"taken_{x}")',
                                 'def _bad(message, code):\n    pass\n_bad("x", code="made_up")'])
def test_the_scan_sees_a_literal_code(bad):
    """The scan is not blind: a literal in the shapes it looks for is reported."""
    tree = ast.parse(bad)
    helpers = _helpers_with_a_code_parameter(tree)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and (_callee(n) in ERRORS or _callee(n) in helpers)]
    assert any(kw.arg == "code" and _literal(kw.value) for n in calls for kw in n.keywords)
