"""The layers of docs/architecture.md, enforced: each app imports only the layers below it, the
sibling apps `reviews`, `practice` and `webinars` never import each other, and only the Stripe gateway
imports `stripe`.

Every .py file of every app is parsed (migrations included), and every import counts:
module level, inside functions (lazy imports), under `TYPE_CHECKING`, dotted paths handed
to `import_module`, `import_string`, `__import__` or django-q2's `async_task`, and models
fetched by app label with `apps.get_model` (a migration may use its own app's and lower apps'
models, never a higher one's).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest
from django.apps import apps as django_apps

# folder → the package name it is imported as (site/ is the project package `medpath`)
from medpath.schedules import PACKAGES

ROOT = Path(__file__).resolve().parent.parent

# What each layer may import besides itself (docs/architecture.md, "Layers").
_BELOW_MEMBERS = {"core", "coaching", "booking"}
MAY_IMPORT = {
    "core": set(),
    "coaching": {"core"},
    "booking": {"core", "coaching"},
    "members": _BELOW_MEMBERS,
    # reviews, practice and webinars are siblings: none imports another
    "reviews": _BELOW_MEMBERS | {"members"},
    "practice": _BELOW_MEMBERS | {"members"},
    "webinars": _BELOW_MEMBERS | {"members"},
    "payments": _BELOW_MEMBERS | {"members", "reviews", "practice", "webinars"},
    "medpath": _BELOW_MEMBERS | {"members", "reviews", "practice", "webinars", "payments"},
}
PROJECT_PACKAGES = set(MAY_IMPORT)

STRIPE_GATEWAY = "payments/stripe_gateway.py"
DYNAMIC_IMPORTERS = {"import_module", "import_string", "async_task", "__import__"}


def may_use(package: str, other: str | None) -> bool:
    """Whether `package` may use `other` (None: not a project package, so anyone may)."""
    return other is None or other == package or other in MAY_IMPORT[package]


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _text(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, dotted module) for every absolute import in the source, wherever it appears."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and node.args
            and _called_name(node) in DYNAMIC_IMPORTERS
            and (module := _text(node.args[0])) is not None
        ):
            found.append((node.lineno, module))
    return found


def fetched_models(source: str) -> list[tuple[int, str, str]]:
    """(line, app label, model) for every `get_model("label", "Model")`,
    `get_model("label.Model")` or `get_model(app_label=…, model_name=…)` with literal names."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and _called_name(node) == "get_model"):
            continue
        names = [_text(arg) for arg in node.args[:2]]
        keywords = {k.arg: _text(k.value) for k in node.keywords if k.arg}
        label = keywords.get("app_label") or (names[0] if names else None)
        model = keywords.get("model_name") or (names[1] if len(names) > 1 else None)
        if label and not model and "." in label:
            label, model = label.split(".", 1)
        if label and model:
            found.append((node.lineno, label, model))
    return found


@functools.cache
def label_packages() -> dict[str, str]:
    """Django app label → the project package it belongs to (`accounts` → `medpath`)."""
    found = {}
    for config in django_apps.get_app_configs():
        top = config.name.split(".")[0]
        if top in PROJECT_PACKAGES:
            found[config.label] = top
    return found


def layer_violations(package: str, path: str, source: str) -> list[str]:
    """What in one file of `package` breaks the layering or the Stripe rule."""
    problems = []
    for line, module in imported_modules(source):
        top = module.split(".")[0]
        if top in PROJECT_PACKAGES and not may_use(package, top):
            problems.append(f"{path}:{line} imports {module} ({package} may not use {top})")
        if top == "stripe" and path != STRIPE_GATEWAY:
            problems.append(f"{path}:{line} imports {module} (only {STRIPE_GATEWAY} may)")
    for line, label, model in fetched_models(source):
        owner = label_packages().get(label)
        if not may_use(package, owner):
            problems.append(
                f"{path}:{line} gets the model {label}.{model} ({package} may not use {owner})"
            )
    return problems


def project_files() -> list[tuple[str, str]]:
    """(package, path relative to the project) for every .py file of every app present."""
    files = []
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            files.append((package, path.relative_to(ROOT).as_posix()))
    return files


def test_every_app_folder_has_a_place_in_the_layers():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps - set(PACKAGES) == set(), (
        "add the new app to medpath.schedules.PACKAGES, MAY_IMPORT and the docs"
    )


def test_no_layer_imports_a_higher_layer_or_a_sibling_and_only_the_gateway_imports_stripe():
    files = project_files()
    assert len(files) > 100  # the walk really reaches the apps
    assert any(path == STRIPE_GATEWAY for _, path in files)
    problems = []
    for package, path in files:
        problems += layer_violations(package, path, (ROOT / path).read_text(encoding="utf-8"))
    assert problems == [], "\n".join(problems)


def test_the_stripe_gateway_is_the_module_that_talks_to_stripe():
    source = (ROOT / STRIPE_GATEWAY).read_text(encoding="utf-8")
    assert any(module.split(".")[0] == "stripe" for _, module in imported_modules(source))


@pytest.mark.parametrize(
    ("package", "path", "source", "expected"),
    [
        ("core", "core/x.py", "import booking.models", "core/x.py:1 imports booking.models"),
        (
            "core",
            "core/x.py",
            "def f():\n    from medpath.accounts.models import User\n",
            "core/x.py:2 imports medpath.accounts.models",
        ),
        ("coaching", "coaching/x.py", "from booking import services", "imports booking"),
        ("booking", "booking/x.py", "from payments.models import Order", "imports payments"),
        ("booking", "booking/x.py", "from members.x import y", "imports members"),
        ("members", "members/x.py", "import reviews", "imports reviews"),
        ("reviews", "reviews/x.py", "from practice.models import Attempt", "imports practice"),
        ("practice", "practice/x.py", "from reviews import services", "imports reviews"),
        ("payments", "payments/x.py", "from medpath.dashboard import x", "imports medpath"),
        (
            "booking",
            "booking/migrations/0009_x.py",
            "import payments.models",
            "booking/migrations/0009_x.py:1 imports payments.models",
        ),
        (
            "booking",
            "booking/tasks.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from payments.models import Order\n",
            "booking/tasks.py:3 imports payments.models",
        ),
        (
            "booking",
            "booking/x.py",
            "async_task('payments.tasks.reconcile')",
            "imports payments.tasks.reconcile",
        ),
        (
            "coaching",
            "coaching/x.py",
            "import importlib\nimportlib.import_module('booking.slots')",
            "imports booking.slots",
        ),
        (
            "booking",
            "booking/x.py",
            "__import__('payments.services')",
            "booking/x.py:1 imports payments.services",
        ),
        (
            "booking",
            "booking/migrations/0009_x.py",
            "def forwards(apps, schema_editor):\n    apps.get_model('payments', 'Order')\n",
            "booking/migrations/0009_x.py:2 gets the model payments.Order (booking may not",
        ),
        (
            "coaching",
            "coaching/x.py",
            "from django.apps import apps\napps.get_model('booking.Booking')",
            "coaching/x.py:2 gets the model booking.Booking",
        ),
        (
            "core",
            "core/x.py",
            "apps.get_model(app_label='accounts', model_name='User')",
            "gets the model accounts.User (core may not use medpath)",
        ),
        ("reviews", "reviews/x.py", "apps.get_model('practice', 'Attempt')", "practice.Attempt"),
        ("payments", "payments/services.py", "import stripe", "only payments/stripe_gateway.py"),
        ("medpath", "site/views.py", "from stripe import StripeClient", "only payments/"),
    ],
)
def test_the_checker_reports_file_line_and_import_of_a_forbidden_use(
    package, path, source, expected
):
    problems = layer_violations(package, path, source)
    assert len(problems) == 1 and expected in problems[0], problems


@pytest.mark.parametrize(
    ("package", "path", "source"),
    [
        (
            "core",
            "core/x.py",
            "from core.errors import DomainError\nfrom django.conf import settings",
        ),
        ("coaching", "coaching/x.py", "from core import money\nfrom . import models"),
        ("booking", "booking/x.py", "from coaching.models import Service\nimport core.ids"),
        ("reviews", "reviews/x.py", "from members.entitlements import may_use\nimport booking"),
        ("payments", "payments/x.py", "from reviews import services\nimport practice.models"),
        ("payments", "payments/stripe_gateway.py", "import stripe"),
        ("medpath", "site/x.py", "from payments import selectors\nimport site"),
        ("booking", "booking/x.py", "__import__('coaching.models')"),
        (
            "payments",
            "payments/migrations/0004_x.py",
            "apps.get_model('members', 'Entitlement')\napps.get_model('payments.OrderLine')\n"
            "apps.get_model('auth', 'Group')\napps.get_model(model_name)",
        ),
    ],
)
def test_the_checker_allows_downward_imports(package, path, source):
    assert layer_violations(package, path, source) == []
