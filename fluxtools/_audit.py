"""JSONL audit log of every mutation attempt, written before and after it runs."""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

from fluxtools._errors import AuditError
from fluxtools._masking import mask_value


class AuditLog:
    """Appends one masked JSON object per line to a file kept at mode 0600."""

    def __init__(self, path: str) -> None:
        self.path = os.path.expanduser(path)

    def write(self, record: dict[str, Any]) -> None:
        entry = {"time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"), **record}
        line = json.dumps(mask_value(entry), sort_keys=False, default=str) + "\n"
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.fchmod(fd, 0o600)
                os.write(fd, line.encode())
            finally:
                os.close(fd)
        except OSError as exc:
            raise AuditError(
                f"Could not write the audit log {self.path}: {exc.strerror}",
                hint="Mutations are refused while the audit log cannot be written.",
            ) from None
