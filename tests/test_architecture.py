"""The layers of docs/architecture.md, enforced: each app imports only the layers below it, the
sibling apps `reviews`, `practice` and `webinars` never import each other, and only the Stripe gateway
imports `stripe`.

Every .py file of every app is parsed (migrations included), and every import counts:
module level, inside functions (lazy imports), under `TYPE_CHECKING`, and dotted paths handed
to `import_module`, `import_string` or django-q2's `async_task`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

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
DYNAMIC_IMPORTERS = {"import_module", "import_string", "async_task"}


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, dotted module) for every absolute import in the source, wherever it appears."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if (
                name in DYNAMIC_IMPORTERS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found.append((node.lineno, first.value))
    return found


def layer_violations(package: str, path: str, source: str) -> list[str]:
    """What in one file of `package` breaks the layering or the Stripe rule."""
    problems = []
    for line, module in imported_modules(source):
        top = module.split(".")[0]
        if top in PROJECT_PACKAGES and top != package and top not in MAY_IMPORT[package]:
            problems.append(f"{path}:{line} imports {module} ({package} may not use {top})")
        if top == "stripe" and path != STRIPE_GATEWAY:
            problems.append(f"{path}:{line} imports {module} (only {STRIPE_GATEWAY} may)")
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
    ],
)
def test_the_checker_allows_downward_imports(package, path, source):
    assert layer_violations(package, path, source) == []
