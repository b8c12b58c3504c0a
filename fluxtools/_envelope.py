"""What a call answers when it fails: its typed error's envelope, and `InternalError` for anything else.

`envelope_of` is the one catch-all: every call ends in an envelope, whatever fails inside.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable
from typing import Any

from fluxtools._approval import ApproverRaised
from fluxtools._errors import FluxError, InternalError
from fluxtools._masking import mask_text, mask_value

logger = logging.getLogger(__name__)

Envelope = dict[str, Any]


def internal_error(tool: str, error: BaseException) -> Envelope:
    """The envelope of an exception that is not a FluxError: its masked message, no traceback.

    The masked traceback goes to the log of whoever runs fluxtools.
    """
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    logger.error("%s failed inside fluxtools:\n%s", tool, mask_text(trace).rstrip())
    message = mask_text(f"{tool} failed inside fluxtools: {type(error).__name__}: {error}")
    hint = "A fault inside fluxtools, not in the cluster; the log of the process running fluxtools has details."
    return InternalError(message, hint=hint).to_envelope()


async def envelope_of(tool: str, answer: Awaitable[Envelope]) -> Envelope:
    """`answer`, or the envelope of what it raised.

    The approver's own exception passes (`ApproverRaised`): it belongs to whoever configured the approver.
    """
    try:
        return await answer
    except FluxError as error:
        return mask_value(error.to_envelope())
    except ApproverRaised:
        raise
    except Exception as error:  # the envelope is total: nothing but an envelope reaches the caller
        return internal_error(tool, error)
