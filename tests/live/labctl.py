"""Running `lab/labctl.py` from live tests."""

import subprocess
import sys
from pathlib import Path

LABCTL = Path(__file__).resolve().parents[2] / "lab" / "labctl.py"


def labctl(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, str(LABCTL), *args], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done
