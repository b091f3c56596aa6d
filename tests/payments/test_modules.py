"""How payments' modules depend on each other: one Stripe module, no loops through the HTTP layer."""

import ast
from pathlib import Path

import payments

PAYMENTS = Path(payments.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_only_the_stripe_gateway_imports_stripe():
    project = PAYMENTS.parent
    importers = {
        str(path.relative_to(project))
        for path in project.glob("*/**/*.py")
        if not path.is_relative_to(project / "tests")
        and not any(part.startswith(".") for part in path.relative_to(project).parts)
        and any(name == "stripe" or name.startswith("stripe.") for name in imported_modules(path))
    }
    assert importers == {"payments/stripe_gateway.py"}


def test_the_two_gateways_do_not_import_each_other():
    assert not any(
        name.startswith("payments.offline")
        for name in imported_modules(PAYMENTS / "stripe_gateway.py")
    )
    offline = imported_modules(PAYMENTS / "offline.py")
    assert "payments.stripe_gateway.StripeGateway" not in offline
    assert "payments.stripe_gateway.get_gateway" not in offline


def test_offline_checkout_does_not_import_views():
    assert not any(
        name.startswith("payments.views") for name in imported_modules(PAYMENTS / "offline.py")
    )
