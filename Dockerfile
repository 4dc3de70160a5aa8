# The dashboard in a container: demo mode without a key, live with SMARTLEAD_API_KEY.
#   docker build -t smartlead-dashboard .
#   docker run -p 8501:8501 -e SMARTLEAD_API_KEY=... -v smartlead-history:/data smartlead-dashboard
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    SMARTLEAD_HISTORY_PATH=/data/history.sqlite3

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY .streamlit .streamlit
COPY app.py ./
COPY app_pages app_pages
COPY ui ui
COPY smartlead smartlead

# No root at run time; the history database lives on a volume.
RUN useradd --create-home --uid 10001 dashboard && mkdir -p /data && chown dashboard /data
USER dashboard
VOLUME ["/data"]

EXPOSE 8501
# Healthy when the web server answers and so does the history store (a file here; a team's
# PostgreSQL database with SMARTLEAD_HISTORY_PATH=postgresql://..., see deploy/docker-compose.yml).
HEALTHCHECK --interval=30s --timeout=15s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status != 200)" \
  && python -m smartlead health

CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501"]
