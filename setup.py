"""Package discovery only; everything else lives in pyproject.toml.

`site/` is installed as the `medpath` package, so its sub-packages are found under `site/`
and renamed; the other apps are top-level packages.
"""

from setuptools import find_packages, setup

APPS = ["core", "coaching", "booking", "members", "webinars", "reviews", "practice", "payments"]

setup(
    package_dir={"medpath": "site"},
    packages=["medpath"]
    + [f"medpath.{name}" for name in find_packages("site")]
    + find_packages(include=[f"{app}*" for app in APPS]),
)
