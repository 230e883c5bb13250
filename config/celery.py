"""The Celery application: `celery -A config worker` and `celery -A config beat` start from here."""

import os

from celery import Celery

import config.logging  # noqa: F401  (carries the request id into tasks)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
