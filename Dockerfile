# Production image: gunicorn serving Django, static files through whitenoise.

# 1. The front end: GOV.UK Frontend from npm, compiled with Sass.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend ./frontend
RUN mkdir -p static && node frontend/build.mjs

# 2. The application.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=marmot.settings.production

WORKDIR /app
RUN useradd --create-home --uid 1000 marmot
COPY requirements.txt requirements-s3.txt ./
RUN pip install --no-cache-dir -r requirements.txt
# Evidence files in S3-compatible storage (EVIDENCE_STORAGE=s3, ADR 0035):
# build with `--build-arg WITH_S3=1` to add django-storages and boto3.
ARG WITH_S3=0
RUN if [ "$WITH_S3" = "1" ]; then pip install --no-cache-dir -r requirements-s3.txt; fi
COPY . .
COPY --from=assets /build/static/build ./static/build
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && mkdir -p /app/var/evidence \
    && chown -R marmot:marmot /app/var
USER marmot
EXPOSE 8000
# gunicorn.conf.py: bind, workers (GUNICORN_WORKERS) and an access log with
# invitation tokens redacted (ADR 0024).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "marmot.wsgi:application"]
