# The web process (Procfile's `web`), from the locked requirements. Build: `docker build -t llm-approach .`
# Not built on the machine this was written on (no Docker daemon there); tests/unit/test_container.py lints it.
FROM python:3.12.8-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3000

# A system user with no shell and no password: the process never runs as root.
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin llm-approach

WORKDIR /app

# Dependencies first, in their own layer, exactly as locked and checked against their hashes.
COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt

# Then the project itself, without resolving anything again.
COPY pyproject.toml README.md LICENSE ./
COPY scoring ./scoring
COPY bot ./bot
RUN pip install --no-deps . && rm -rf build ./*.egg-info

USER llm-approach:llm-approach

EXPOSE 3000

# /healthz answers 200 when Redis answers and 503 when it does not; urlopen raises on 503, so exit 1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3000') + '/healthz', timeout=4)"]

CMD ["python", "-m", "bot", "web"]
