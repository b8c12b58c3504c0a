"""Recorded CLI transcripts: format, redaction and the recording/replaying runner."""

from .format import SUFFIX, Cassette, Interaction
from .provenance import reported_versions
from .redact import Redactor, without_connection_flags
from .runner import RECORD_MODES, CassetteMiss, CassetteRunner

RECORDER_VERSION = "fluxtools-cassettes/1"

__all__ = [
    "RECORDER_VERSION",
    "RECORD_MODES",
    "SUFFIX",
    "Cassette",
    "CassetteMiss",
    "CassetteRunner",
    "Interaction",
    "Redactor",
    "reported_versions",
    "without_connection_flags",
]
