"""Structured logs: a request id on every log record of a request and of the Celery tasks it enqueued.

The id comes from the proxy's X-Request-ID when it looks like one (so that the proxy's access log and ours
join up), otherwise it is generated; the response echoes it. It lives in a context variable, which a logging
filter copies onto each record and which Celery carries to a worker in a message header.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
# Anything longer or with other characters could smuggle text into log lines: such ids are replaced.
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

request_id: ContextVar[str] = ContextVar("request_id", default="")
logger = logging.getLogger("portal.request")


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (empty outside a request or task), for both formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    """First in the stack, so that every later log line of the request carries the id; logs one line per
    request with its outcome and duration (gunicorn's access log knows no request id)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        current = incoming if ACCEPTED_ID.match(incoming) else new_request_id()
        request.request_id = current
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = current
            user = getattr(request, "user", None)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id.reset(token)


@before_task_publish.connect
def _send_request_id(headers=None, **kwargs) -> None:
    current = request_id.get()
    if current and headers is not None:
        headers["request_id"] = current


@task_prerun.connect
def _receive_request_id(task=None, **kwargs) -> None:
    # Eager tasks run inside the request and already see its id; a worker's task reads the header.
    received = getattr(task.request, "request_id", None) if task is not None else None
    if received:
        task.request.request_id_token = request_id.set(received)


@task_postrun.connect
def _forget_request_id(task=None, **kwargs) -> None:
    token = getattr(task.request, "request_id_token", None) if task is not None else None
    if token is not None:
        request_id.reset(token)
        task.request.request_id_token = None
