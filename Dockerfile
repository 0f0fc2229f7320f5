# The KAM portal image: web (gunicorn), Celery worker and Celery beat all run from it.
# docker-compose.yml supplies SECRET_KEY, DATABASE_URL and the broker at run time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=kam_portal.settings.production

RUN groupadd --system --gid 10001 kam \
    && useradd --system --uid 10001 --gid kam --home-dir /home/kam --create-home kam

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

# The code stays owned by root: the app user can read it but not change it.
COPY . .

# Static files are collected into the image and served by whitenoise. Production settings insist
# on a SECRET_KEY, so the build uses a throwaway one that exists only inside this RUN step.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3

# Uploaded import files and rejects files (MEDIA_ROOT): the one directory the app user writes;
# docker-compose.yml mounts a volume here, shared by web and worker (the volume starts with
# this directory's owner).
ENV MEDIA_ROOT=/app/media
RUN mkdir -p /app/media && chown kam:kam /app/media

USER kam
EXPOSE 8000
CMD ["gunicorn", "kam_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
