"""Console logging: a refused or missing page (4xx) is one line; a fault keeps its traceback."""

from __future__ import annotations

import logging


class ClientErrorsOnOneLine(logging.Formatter):
    """Django logs a PermissionDenied or Http404 with the exception attached; for a 4xx
    that traceback only shows where the refusal was raised, so it is left out."""

    def format(self, record: logging.LogRecord) -> str:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and status < 500:
            # A copy: other handlers may still want the exception.
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None,
                                            "exc_text": None})
        return super().format(record)
