"""Safe defaults: `check --deploy` is clean as documented, keys are never public, no leaks."""

import os
import subprocess
import sys
from pathlib import Path

from medpath.settings import BASE_DIR, development_secret_key

# The production environment README.md's "Deploying for real" documents.
PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "DJANGO_SETTINGS_MODULE": "medpath.settings",
    "SECRET_KEY": "k3y-" + "x7Qp9" * 12,
    "ALLOWED_HOSTS": "medpath.example",
    "CSRF_TRUSTED_ORIGINS": "https://medpath.example",
    "SITE_URL": "https://medpath.example",
    "SECURE_PROXY_SSL": "1",
    "TRUSTED_PROXY_COUNT": "1",
    "DATABASE_URL": "postgres://medpath:secret@db.internal:5432/medpath",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "EMAIL_URL": "smtp://mailer:secret@smtp.internal:587/?tls=True",
    "STRIPE_SECRET_KEY": "sk_live_x",
    "STRIPE_WEBHOOK_SECRET": "whsec_x",
    "BUSINESS_NAME": "MedPath Coaching Inc.",
    "BUSINESS_ADDRESS": "1 Bay Street; Toronto, ON  M5J 2T3",
    "BUSINESS_TAX_NUMBER": "876543216 RT0001",
}


def run(code: str, **overrides) -> subprocess.CompletedProcess:
    env = {key: value for key, value in {**PRODUCTION_ENV, **overrides}.items() if value}
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(expression: str, *, argv: tuple[str, ...] = ("manage.py",), **overrides) -> str:
    code = (
        f"import sys; sys.argv = {list(argv)!r}; import django; django.setup(); "
        f"from django.conf import settings; print({expression})"
    )
    result = run(code, **overrides)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = run(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_https_behind_the_proxy_turns_on_redirects_hsts_and_secure_cookies():
    values = setting(
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, "
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE"
    )

    assert values == "True 31536000 True True"


def test_health_checks_are_answered_over_plain_http():
    assert setting("settings.SECURE_REDIRECT_EXEMPT") == "['^healthz$', '^readyz$']"


def test_trusted_proxy_count_comes_from_the_environment():
    assert setting("settings.ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT=None) == "0"
    assert setting("settings.ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2") == "2"


def test_the_development_server_keeps_no_database_connections_open():
    assert setting("settings.DATABASES['default']['CONN_MAX_AGE']") == "60"
    runserver = ("manage.py", "runserver")
    assert setting("settings.DATABASES['default']['CONN_MAX_AGE']", argv=runserver) == "0"
    assert (
        setting("settings.DATABASES['default']['CONN_MAX_AGE']", argv=runserver, CONN_MAX_AGE="600")
        == "0"
    )


def test_development_key_is_made_once_per_checkout_and_kept_private(tmp_path: Path):
    path = tmp_path / ".secret_key"

    key = development_secret_key(path)

    assert len(key) >= 50
    assert development_secret_key(path) == key
    assert path.stat().st_mode & 0o077 == 0
    assert development_secret_key(tmp_path / "another") != key


def test_the_development_key_file_is_never_committed():
    result = subprocess.run(
        ["git", "check-ignore", "--quiet", ".secret_key"], cwd=BASE_DIR, timeout=30
    )

    assert result.returncode == 0
