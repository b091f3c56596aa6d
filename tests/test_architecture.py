"""The layers of docs/architecture.md, enforced: each app imports only the layers below it, the
sibling apps `reviews` and `practice` never import each other, and only the Stripe gateway
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
    "reviews": _BELOW_MEMBERS | {"members"},  # not practice: siblings
    "practice": _BELOW_MEMBERS | {"members"},  # not reviews: siblings
    "payments": _BELOW_MEMBERS | {"members", "reviews", "practice"},
    "medpath": _BELOW_MEMBERS | {"members", "reviews", "practice", "payments"},
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


# --- no app imports itself in a circle ----------------------------------------------------
# A circle among one app's modules (a → b → a) is counted like a layer breach: module level,
# inside functions (a lazy import that closes the circle still closes it), relative imports and
# dotted paths. Importing `app.sub` is an edge to `app.sub` only, not to `app`'s __init__, so a
# package may re-export its modules (STYLE.md) without that counting as a circle.


def _module_name(package: str, path: str) -> str:
    """The dotted name of a file of the app, its path taken from the app's folder."""
    parts = [package, *Path(path).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _own_imports(module: str, path: str, source: str, modules: set[str]) -> set[str]:
    """The other modules of `modules` (one app's) that the source of `module` imports."""
    names = [name for _, name in imported_modules(source)]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level:
            here = module.split(".") if path.endswith("__init__.py") else module.split(".")[:-1]
            base = ".".join([*here[: len(here) - node.level + 1], *filter(None, [node.module])])
            names.append(base)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
        else:
            continue
        names += [f"{base}.{alias.name}" for alias in node.names]  # `from app import module`
    found = set()
    for name in names:
        while name not in modules and "." in name:
            name = name.rsplit(".", 1)[0]
        if name in modules and name != module:
            found.add(name)
    return found


def import_cycles(package: str, sources: dict[str, str]) -> list[str]:
    """The circles of imports among one app's modules, each as "a → b → a"; `sources` maps each
    file's path inside the app's folder ("models.py", "cms/__init__.py") to its text."""
    paths = {_module_name(package, path): path for path in sources}
    graph = {
        module: sorted(_own_imports(module, path, sources[path], set(paths)))
        for module, path in paths.items()
    }
    cycles, explored = [], set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            cycles.append(" → ".join([*trail[trail.index(module) :], module]))
        elif module not in explored:
            for target in graph[module]:
                visit(target, [*trail, module])
            explored.add(module)

    for module in sorted(graph):
        visit(module, [])
    return cycles


def test_no_app_imports_itself_in_a_circle():
    cycles = []
    for folder, package in PACKAGES.items():
        sources = {
            path.relative_to(ROOT / folder).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted((ROOT / folder).rglob("*.py"))
        }
        cycles += import_cycles(package, sources)
    assert cycles == [], "\n".join(cycles)


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (  # a lazy import inside a function closes the circle all the same
            {
                "models.py": "def preview():\n    from shop.selectors import cards\n",
                "selectors.py": "from shop.models import Item\n",
            },
            ["shop.models → shop.selectors → shop.models"],
        ),
        (  # relative imports, `from app import module`, three modules round
            {
                "__init__.py": "",
                "gateway.py": "from . import offline\n",
                "offline.py": "from shop import webhooks\n",
                "webhooks.py": "from .gateway import get_gateway\n",
            },
            ["shop.gateway → shop.offline → shop.webhooks → shop.gateway"],
        ),
        (  # a dotted path handed to django-q2, and a subpackage reaching up
            {
                "tasks.py": "from shop.cms.models import Page\n",
                "cms/__init__.py": "",
                "cms/models.py": "async_task('shop.tasks.rebuild')\n",
            },
            ["shop.cms.models → shop.tasks → shop.cms.models"],
        ),
        (  # downward only, and a package re-exporting its modules: no circle
            {
                "__init__.py": "",
                "models.py": "from django.db import models\n",
                "selectors.py": "from shop.models import Item\nfrom . import models\n",
                "views.py": "from shop import selectors\nimport shop.models\n",
                "cms/__init__.py": "from .pages import Page\nfrom .library import Library\n",
                "cms/pages.py": "from shop.models import Item\n",
                "cms/library.py": "from .pages import Page\n",
            },
            [],
        ),
    ],
)
def test_the_cycle_check_names_each_circle_of_imports(sources, expected):
    assert import_cycles("shop", sources) == expected


# --- no function over 60 lines ------------------------------------------------------------
# Counted from the `def` line to the last line (decorators not included), methods and nested
# functions too. Demo loaders (they spell out content) and migrations are exempt; benchmarks
# (bench/) and tests are not apps, so not read.

MAX_FUNCTION_LINES = 60
LONG_FUNCTIONS_ALLOWED = {
    ("booking/services.py", "booking_cancel"),  # split by the history change
}


def is_exempt_from_the_length_limit(path: str) -> bool:
    """Migrations and demo loaders (`demo.py`, `*_demo.py`, the `load_demo` command)."""
    name = Path(path).name
    return (
        "/migrations/" in path
        or name == "demo.py"
        or name.endswith("_demo.py")
        or path.endswith("/management/commands/load_demo.py")
    )


def long_functions(path: str, source: str) -> list[str]:
    """Every function of the source longer than `MAX_FUNCTION_LINES` (and not allowed by name),
    as "path:line name (n lines)"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES and (path, node.name) not in LONG_FUNCTIONS_ALLOWED:
                found.append(f"{path}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_function_is_longer_than_sixty_lines():
    problems = []
    for _, path in project_files():
        if not is_exempt_from_the_length_limit(path):
            problems += long_functions(path, (ROOT / path).read_text(encoding="utf-8"))
    assert problems == [], "\n".join(problems)


def _planted_function(name: str, lines: int, indent: str = "") -> str:
    body = "".join(f"{indent}    x = {n}\n" for n in range(lines - 1))
    return f"{indent}def {name}():\n{body}"


def test_the_length_check_counts_from_def_to_last_line():
    fits = "@decorator\n" + _planted_function("fits", 60)
    too_long = "class Page:\n" + _planted_function("too_long", 61, indent="    ")
    assert long_functions("x.py", fits) == []
    assert long_functions("x.py", too_long) == ["x.py:2 too_long (61 lines)"]
    assert is_exempt_from_the_length_limit("booking/demo.py")
    assert is_exempt_from_the_length_limit("site/cms/members_demo.py")
    assert is_exempt_from_the_length_limit("booking/migrations/0001_initial.py")
    assert not is_exempt_from_the_length_limit("booking/slots.py")


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
