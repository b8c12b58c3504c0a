"""Recorded CLI transcripts: format, redaction and the recording/replaying runner."""

from fluxtools.cassettes.format import SUFFIX, Cassette, Interaction
from fluxtools.cassettes.provenance import reported_versions
from fluxtools.cassettes.redact import Redactor, without_connection_flags
from fluxtools.cassettes.runner import RECORD_MODES, CassetteMiss, CassetteNotCancelled, CassetteRunner

RECORDER_VERSION = "fluxtools-cassettes/1"

__all__ = [
    "RECORDER_VERSION",
    "RECORD_MODES",
    "SUFFIX",
    "Cassette",
    "CassetteMiss",
    "CassetteNotCancelled",
    "CassetteRunner",
    "Interaction",
    "Redactor",
    "reported_versions",
    "without_connection_flags",
]
