import pytest


@pytest.fixture
def private_root(settings, tmp_path):
    """The "private" storage as production has it (a folder, no URL), in a temporary folder."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "core.files.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root
