# syntax=docker/dockerfile:1
# kefu production image. Build: docker build -t kefu .   Run: see compose.yaml.
# The project is installed NON-editable into /opt/venv; the app finds templates/, static/,
# tenants/ and migrations/ through KEFU_ROOT (=/app). Locale catalogs live in src/kefu/locale
# and must be package data so they land in site-packages (checked below).

########## builder ##########
FROM python:3.11-slim-bookworm AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_NO_CACHE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

WORKDIR /build
# uv goes into the builder's system Python only, so it never reaches the runtime image.
RUN /usr/local/bin/python -m pip install uv==0.13.9 && /usr/local/bin/python -m venv /opt/venv

# Dependencies first (cached until pyproject.toml changes), then the project itself.
COPY pyproject.toml ./
RUN uv pip install -r pyproject.toml
COPY src/ src/
RUN uv pip install --no-deps . \
 && python -c "import importlib.util as u, pathlib as p, sys; \
src = p.Path('src/kefu/locale'); \
dst = p.Path(u.find_spec('kefu').submodule_search_locations[0]) / 'locale'; \
miss = [str(f) for f in src.rglob('*') if f.is_file() and not (dst / f.relative_to(src)).is_file()]; \
sys.exit('locale files missing from the installed package (add them as package data): ' + ' '.join(miss[:5])) if miss else None"

# Front-end vendor files (htmx, Pico, the PDFs' Chinese font), pinned and integrity-checked;
# written to /build/static/vendor.
COPY scripts/fetch_vendor.py scripts/
RUN python scripts/fetch_vendor.py

########## runtime ##########
FROM python:3.11-slim-bookworm AS runtime

# WeasyPrint's runtime libraries (Debian's, following the base image). No system CJK font: PDFs
# embed the one scripts/fetch_vendor.py put in static/vendor/fonts (kefu.core.pdf).
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libffi8 shared-mime-info \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 kefu \
 && useradd --system --uid 10001 --gid kefu --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin kefu

ENV PATH=/opt/venv/bin:$PATH \
    VIRTUAL_ENV=/opt/venv \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KEFU_ENV=production \
    KEFU_ROOT=/app

WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY src/ /app/src/
COPY templates/ /app/templates/
COPY static/ /app/static/
COPY --from=builder /build/static/vendor/ /app/static/vendor/
COPY tenants/ /app/tenants/
COPY migrations/ /app/migrations/
# Code stays root-owned and read-only for the app; var/ is its only writable place.
RUN mkdir -p /app/var && chown kefu:kefu /app/var

# numeric, so runAsNonRoot-style checks can verify it
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["kefu", "serve", "--host", "0.0.0.0", "--port", "8000"]
