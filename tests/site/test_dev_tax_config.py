"""`make run` (bin/dev) configures the demo like an Ontario business: HST at a fixed 13%."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def tax_mode_seen_by_dev_script(tmp_path, **env) -> str:
    """Run bin/dev with a stand-in `python` that records the tax mode and stops the script."""
    stub = tmp_path / "python"
    stub.write_text('#!/bin/sh\necho "${STRIPE_TAX_MODE:-unset}" > "$SEEN"\nexit 3\n')
    stub.chmod(0o755)
    seen = tmp_path / "seen"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STRIPE_")}
    clean.update(PATH=f"{tmp_path}:{os.environ['PATH']}", SEEN=str(seen), **env)
    subprocess.run(["bash", str(ROOT / "bin" / "dev")], env=clean, capture_output=True, timeout=30)
    return seen.read_text().strip()


def test_the_demo_runs_with_hst_at_a_fixed_rate(tmp_path):
    assert tax_mode_seen_by_dev_script(tmp_path) == "rate"


def test_a_tax_mode_in_the_environment_wins(tmp_path):
    assert tax_mode_seen_by_dev_script(tmp_path, STRIPE_TAX_MODE="none") == "none"


def test_with_real_stripe_keys_the_environment_decides(tmp_path):
    assert tax_mode_seen_by_dev_script(tmp_path, STRIPE_SECRET_KEY="sk_test_x") == "unset"
