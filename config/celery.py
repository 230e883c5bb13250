"""The Celery application: `celery -A config worker` and `celery -A config beat` start from here."""

import os
from smtplib import SMTPException

from celery import Celery

import config.logging  # noqa: F401  (carries the request id into tasks)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Mail tasks retry what the mail server or the network failed, with backoff: one preset for every app's mail task.
MAIL_RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}
