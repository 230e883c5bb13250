# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_STATIC_MANIFEST=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext fonts-noto-cjk fonts-ipaexfont \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir -e .
COPY . .
RUN python manage.py compilemessages --ignore=.venv -v 0 \
    && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --no-input -v 0
# /app/media exists in the image so that the named volume mounted there starts owned by the portal user.
RUN mkdir -p /app/media && useradd --system --home /app portal && chown -R portal /app
USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
