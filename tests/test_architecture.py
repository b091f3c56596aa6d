"""The layers of docs/architecture.md, enforced: each app imports only the layers below it, the
sibling apps `reviews`, `practice` and `webinars` never import each other, and only the Stripe gateway
imports `stripe`.

Every .py file of every app is parsed (migrations included), and every import counts:
module level, inside functions (lazy imports), under `TYPE_CHECKING`, dotted paths handed
to `import_module`, `import_string`, `__import__` or django-q2's `async_task`, and models
fetched by app label with `apps.get_model` (a migration may use its own app's and lower apps'
models, never a higher one's).

Templates keep the same layers: a template of an app (`templates/<app>/…`,
`templates/emails/<app>/…`) may name in `{% url %}` only URLs served by its own or a lower
layer, or by a third party. Whose each URL name is comes from the URLconf itself: the module of
the view each pattern calls.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.urls import URLPattern, URLResolver, get_resolver

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


# Links from an app's page up to a higher layer's page, there by design (DESIGN.md): the page
# offers what only the higher layer does, or leads back to a page the site composes from several
# apps. (template, URL name) → why. Any other upward link fails the test.
_BUYING = "buying is payments' (checkout, and where a Buy posts); this page offers it"
_QUEUE = "back to the one reviewers' queue, composed in site/ from reviews and practice"
_PERKS = "what each perk opens is the site's membership summary (site/membership.py)"
UPWARD_LINKS: dict[tuple[str, str], str] = {
    ("booking/book.html", "api:checkout_session"): "the slot picker: " + _BUYING,
    ("coaching/includes/buy_button.html", "payments:checkout_package"): _BUYING,
    ("reviews/review_new.html", "payments:checkout_review"): "no credit left: " + _BUYING,
    ("payments/checkout_success.html", "dashboard"): "after paying, one books from the dashboard",
    ("emails/members/perk_ending.html", "dashboard"): _PERKS,
    ("emails/members/perk_ending.txt", "dashboard"): _PERKS,
    ("practice/coach_attempt.html", "coach_queue"): _QUEUE,
    ("reviews/review_detail.html", "coach_queue"): _QUEUE,
    ("booking/coach_dashboard.html", "coach_queue"): "the coach's home: " + _QUEUE,
    (
        "booking/coach_dashboard.html",
        "webinars:host_list",
    ): "the coach's home: the webinars they host",
    ("booking/includes/session_service.html", "coach_session_shortlist"): (
        "a school-selection session's shortlist, shown to its coach by site/coach_shortlist.py"
    ),
}

TEMPLATES = ROOT / "templates"
URL_TAG = re.compile(r"""\{%\s*url\s+(["'])(?P<name>[^"'\s]+)\1""")


def template_package(template: str) -> str:
    """Whose a template is (its path under templates/): the app its folder is named after, under
    templates/ or templates/emails/; the rest (the layout, includes/, blocks/, the CMS's, the
    dashboard's, the coach's queue, the accounts' pages) is the site's."""
    parts = template.split("/")
    if parts[0] == "emails":
        parts = parts[1:]
    return parts[0] if len(parts) > 1 and parts[0] in PROJECT_PACKAGES else "medpath"


def view_modules(callback) -> set[str]:
    """The modules of the views behind a URL pattern's callback, through class-based views'
    `view_class`, `functools.partial`, decorators, and django-ninja's path views (one callback
    for the operations at one path)."""
    view = getattr(callback, "view_class", callback)
    while isinstance(view, functools.partial):
        view = view.func
    if inspect.isfunction(view):
        path_view = inspect.getclosurevars(view).nonlocals.get("self")
        if operations := getattr(path_view, "operations", None):
            return {inspect.unwrap(operation.view_func).__module__ for operation in operations}
    return {inspect.unwrap(view).__module__}


def _package_of(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in PROJECT_PACKAGES else None


@functools.cache
def url_owners() -> dict[str, frozenset[str | None]]:
    """Each URL name as `{% url %}` spells it (`dashboard`, `booking:detail`) → the packages
    whose views serve it, None for a third party's (Django's, Wagtail's, allauth's, ninja's).
    A name served only by a third party's view inside a namespace that one project package
    serves is that package's (a Wagtail viewset's generic add and edit views)."""
    owners: dict[str, set[str | None]] = {}
    by_namespace: dict[str, set[str]] = {}

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, ":".join(filter(None, [namespace, pattern.namespace])))
            elif isinstance(pattern, URLPattern) and pattern.name:
                found = {_package_of(module) for module in view_modules(pattern.callback)}
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                owners.setdefault(name, set()).update(found)
                by_namespace.setdefault(namespace, set()).update(found - {None})

    walk(get_resolver().url_patterns, "")
    for name, found in owners.items():
        namespace_owners = by_namespace.get(name.rpartition(":")[0], set())
        if found == {None} and len(namespace_owners) == 1:
            owners[name] = set(namespace_owners)
    return {name: frozenset(found) for name, found in owners.items()}


def url_names(source: str) -> list[tuple[int, str]]:
    """(line, URL name) for every `{% url %}` tag naming its URL literally."""
    return [
        (source.count("\n", 0, tag.start()) + 1, tag["name"]) for tag in URL_TAG.finditer(source)
    ]


def template_violations(
    template: str,
    source: str,
    owners: dict[str, frozenset[str | None]],
    *,
    by_design: dict[tuple[str, str], str] | None = None,
) -> list[str]:
    """The URLs a template names that its app may not use (bar the upward links `by_design`)."""
    package = template_package(template)
    problems = []
    for line, name in url_names(source):
        found = owners.get(name, frozenset())
        if (template, name) in (by_design or {}) or any(may_use(package, o) for o in found):
            continue
        if found:
            serving = ", ".join(sorted(found))
            problems.append(
                f"templates/{template}:{line} names the URL {name!r} of {serving} "
                f"({package} may not use it)"
            )
    return problems


def template_files() -> list[str]:
    """Every template, as its path under templates/."""
    return sorted(path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.*"))


def _template_source(template: str) -> str:
    return (TEMPLATES / template).read_text(encoding="utf-8")


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


def test_no_template_names_a_url_of_a_higher_layer():
    templates = template_files()
    assert len(templates) > 100  # the walk really reaches the templates
    problems = []
    for template in templates:
        problems += template_violations(
            template, _template_source(template), url_owners(), by_design=UPWARD_LINKS
        )
    assert problems == [], "\n".join(problems)


def test_every_upward_link_by_design_is_still_there_and_still_upward():
    for template, name in UPWARD_LINKS:
        problems = template_violations(template, _template_source(template), url_owners())
        assert any(f"names the URL {name!r}" in problem for problem in problems), (template, name)


def test_every_url_a_template_names_is_in_the_urlconf():
    """So the template check sees every name: one it does not know it cannot place."""
    unknown = [
        f"templates/{template}:{line} {name}"
        for template in template_files()
        for line, name in url_names(_template_source(template))
        if name not in url_owners()
    ]
    assert unknown == [], "\n".join(unknown)


def test_url_owners_follow_the_views_the_urlconf_calls():
    owners = url_owners()
    assert owners["dashboard"] == {"medpath"}
    assert owners["booking:detail"] == {"booking"}
    assert owners["payments:checkout_package"] == {"payments"}
    assert owners["webinars:host_list"] == {"webinars"}
    # django-ninja: one API, each operation's own router module
    assert owners["api:list_slots"] == {"booking"}
    assert owners["api:checkout_session"] == {"payments"}
    assert owners["api:resolve_time_zone"] == {"medpath"}
    # a Wagtail viewset's generic views are its app's; allauth's and Django's are nobody's
    assert owners["orders:edit"] == {"payments"}
    assert owners["account_login"] == {None}
    assert owners["admin:index"] == {None}
    # Wagtail's page serving: the site's wrapper and Wagtail's own view
    assert owners["wagtail_serve"] == {"medpath", None}


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
            if length > MAX_FUNCTION_LINES:
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


# URL owners for the template checker's self-tests: a URL of each layer, and third parties'.
OWNERS = {
    "dashboard": frozenset({"medpath"}),
    "payments:checkout_package": frozenset({"payments"}),
    "webinars:host_list": frozenset({"webinars"}),
    "practice:index": frozenset({"practice"}),
    "booking:detail": frozenset({"booking"}),
    "account_login": frozenset({None}),
    "wagtail_serve": frozenset({"medpath", None}),
}


@pytest.mark.parametrize(
    ("template", "source", "expected"),
    [
        (
            "coaching/includes/x.html",
            "<p>\n{% url 'payments:checkout_package' package.slug %}",
            "templates/coaching/includes/x.html:2 names the URL 'payments:checkout_package' "
            "of payments (coaching may not use it)",
        ),
        ("members/x.html", '{% url "webinars:host_list" as hosted %}', "of webinars (members"),
        ("webinars/x.html", "{% url 'practice:index' %}", "of practice (webinars may not"),
        ("reviews/x.html", "{% url 'practice:index' %}", "of practice (reviews may not"),
        ("emails/members/x.txt", '{{ site_url }}{% url "dashboard" %}', "of medpath (members"),
    ],
)
def test_the_template_checker_reports_a_url_of_a_higher_layer(template, source, expected):
    problems = template_violations(template, source, OWNERS)
    assert len(problems) == 1 and expected in problems[0], problems


@pytest.mark.parametrize(
    ("template", "source"),
    [
        (
            "payments/x.html",
            "{% url 'booking:detail' booking.public_id %}{% url 'payments:checkout_package' %}",
        ),
        ("coaching/x.html", "{% url 'wagtail_serve' '' %}{% url 'account_login' %}"),
        ("booking/x.html", "{% url next_url %}{# url 'dashboard' #}"),
        ("includes/header.html", "{% url 'dashboard' %}{% url 'payments:checkout_package' %}"),
        ("emails/base.html", "{% url 'dashboard' %}"),
        ("webinars/x.html", "{% url 'webinars:host_list' %}{% url 'booking:detail' %}"),
    ],
)
def test_the_template_checker_allows_urls_of_its_own_and_lower_layers(template, source):
    assert template_violations(template, source, OWNERS) == []


def test_an_upward_link_by_design_is_allowed_where_it_is_listed_only():
    by_design = {("coaching/x.html", "payments:checkout_package"): "buying"}
    source = "{% url 'payments:checkout_package' package.slug %}"
    assert template_violations("coaching/x.html", source, OWNERS, by_design=by_design) == []
    assert template_violations("coaching/y.html", source, OWNERS, by_design=by_design)


# --- every service and selector says what it guarantees ------------------------------------


def undocumented_public_functions(source: str) -> list[tuple[int, str]]:
    """(line, name) of each module-level public function without a docstring."""
    return [
        (node.lineno, node.name)
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
        and not ast.get_docstring(node)
    ]


def test_every_public_service_and_selector_has_a_docstring():
    """The services and selectors are each app's contract with the others (docs/architecture.md):
    each public function says what it guarantees."""
    missing = [
        f"{path}:{line} {name}"
        for _, path in project_files()
        if Path(path).stem in ("services", "selectors") and "/migrations/" not in path
        for line, name in undocumented_public_functions((ROOT / path).read_text())
    ]
    assert not missing, "public functions without a docstring:\n" + "\n".join(missing)


def test_the_docstring_check_finds_an_undocumented_function():
    source = 'def shown():\n    """Says."""\n\n\ndef bare():\n    return 1\n\n\ndef _private():\n    pass\n'
    assert undocumented_public_functions(source) == [(5, "bare")]


GATE = "members/gate.py"
GATE_PARTS = ("members/perk_required.html", "perk_panel_context")


def gate_bypasses(path: str, source: str) -> list[str]:
    """Where a file renders the members' panel page or builds the panel itself, not through
    the one gate (`members.gate`: `perk_required`, `perk_gate`, `perk_panel`)."""
    if path == GATE:
        return []
    return [
        f"{path}:{number} {part}"
        for number, line in enumerate(source.splitlines(), start=1)
        for part in GATE_PARTS
        if part in line
    ]


def test_only_the_members_gate_renders_the_members_panel():
    """Every page gated on a perk goes through members/gate.py, so who gets in, the panel and
    its status (200 to read, 403 to write or fetch a file) are written once."""
    problems = []
    for _, path in project_files():
        problems += gate_bypasses(path, (ROOT / path).read_text(encoding="utf-8"))
    assert problems == [], "\n".join(problems)


def test_the_gate_check_finds_a_view_that_renders_the_panel_by_hand():
    by_hand = 'def index(request):\n    return render(request, "members/perk_required.html", {})\n'
    assert gate_bypasses("practice/views.py", by_hand) == [
        "practice/views.py:2 members/perk_required.html"
    ]
    assert gate_bypasses(GATE, by_hand) == []
