from pathlib import Path

import pytest
from django.core.management import call_command

# Left out of the dump reloaded after each transactional test's flush: what post_migrate rebuilds after every flush
# (content types, permissions, the recurring jobs' schedules and records) and what no
# migration writes.
NOT_MIGRATED_ROWS = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "django_q.schedule",
    "medpath.jobstate",
]


BROWSER_TESTS = Path(__file__).resolve().parent / "e2e"


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` (`make test`) with every browser test (tests/e2e) in one group,
    "browser", run by one worker; each other test is scheduled on its own.

    xdist's loadgroup finds a test's group in its id, which xdist gives an "@group" suffix for
    an `xdist_group` mark: on pytest 9.2 the suffix is never added (pytest-xdist#1386) and the
    browser tests would be spread over the workers. Here the group also follows from the path.
    The biggest group is scheduled first (xdist's default), so the journeys start at once."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    browser_prefix = BROWSER_TESTS.relative_to(config.rootpath).as_posix() + "/"

    class BrowserTestsInOneWorker(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(browser_prefix):
                return "browser"
            return super()._split_scope(nodeid)

    return BrowserTestsInOneWorker(config, log)


@pytest.fixture(autouse=True)
def _media_and_email(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the navigation, footer and pages cached by one test
    were rendered from rows its rollback removed (site/page_cache.py)."""
    from django.core.cache import cache

    cache.clear()


def _migrated_rows_file(tmp_path_factory) -> Path:
    return tmp_path_factory.getbasetemp() / "migrated-rows.json"


TRANSACTIONAL_FIXTURES = ("transactional_db", "live_server", "django_db_reset_sequences")


def _is_transactional(item) -> bool:
    """pytest-django's own rule: such a test flushes the database when it ends."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return any(name in names for name in TRANSACTIONAL_FIXTURES)


# What `pytest_runtest_teardown` needs to put the migrated rows back: the dump and the blocker.
_RESTORE = pytest.StashKey[tuple]()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request, tmp_path_factory):
    """pytest-django's test database; when a collected test is transactional, the rows the
    migrations wrote (Wagtail's root page, default Site and root collection, the Editors and
    Moderators groups) are dumped now, before any transactional test's flush deletes them."""
    if any(_is_transactional(item) for item in request.session.items):
        dump = _migrated_rows_file(tmp_path_factory)
        with django_db_blocker.unblock():
            call_command(
                "dumpdata",
                exclude=NOT_MIGRATED_ROWS,
                natural_foreign=True,
                output=str(dump),
                verbosity=0,
            )
        request.config.stash[_RESTORE] = (dump, django_db_blocker)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, the migrated rows are put back, so the database is
    again as the migrations left it for whatever test the process runs next.

    In one process pytest-django runs the transactional tests after the others, but an xdist
    worker may be handed ordinary tests after the browser journeys (tests/e2e, which run first,
    see `pytest_xdist_make_scheduler`): without the rows they fail, Wagtail's root page gone."""
    result = yield
    restore = item.config.stash.get(_RESTORE, None)
    # The last test's teardown also drops the test database: nothing to restore into then.
    if restore is not None and nextitem is not None and _is_transactional(item):
        dump, django_db_blocker = restore
        with django_db_blocker.unblock():
            call_command("loaddata", str(dump), verbosity=0)
    return result


S3_PRIVATE_BUCKET = "medpath-private-test"
S3_PUBLIC_BUCKET = "medpath-public-test"
S3_KEYS = {"access": "test-access-key", "secret": "test-secret-key"}


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on 127.0.0.1 (a real socket, boto3 unpatched) with the private and
    public test buckets; one per run, since moto keeps its buckets per process."""
    import socket

    import boto3
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_KEYS["access"],
        aws_secret_access_key=S3_KEYS["secret"],
        region_name="ca-central-1",
    )
    for bucket in (S3_PRIVATE_BUCKET, S3_PUBLIC_BUCKET):
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ca-central-1"}
        )
    yield endpoint
    server.stop()
