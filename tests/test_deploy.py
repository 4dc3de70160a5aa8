"""The team deployment in deploy/ stays in step with the code: two replicas sharing one
PostgreSQL database, health checks that ask the history store, nginx keeping each browser on
one replica. (No Docker engine runs where the tests run: the files are read, not started.)"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from smartlead import cli, settings
from smartlead.settings import DatabaseAddress

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
NGINX = (DEPLOY / "nginx-compose.conf").read_text(encoding="utf-8")
REPLICAS = ("dashboard-1", "dashboard-2")


def test_two_replicas_share_one_postgresql_history_without_a_password_in_it() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"postgres", *REPLICAS, "nginx"}
    first, second = (services[name] for name in REPLICAS)
    assert first == second, "the replicas are configured alike"
    environment = first["environment"]
    address = environment[settings.ENV_HISTORY_PATH]
    assert settings.is_database_url(address)
    assert DatabaseAddress(address).passwords == (), "the password comes from PGPASSWORD"
    assert environment["PGPASSWORD"].startswith("${PGPASSWORD:?")
    assert environment[settings.ENV_API_KEY].startswith("${SMARTLEAD_API_KEY:?")
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${PGPASSWORD")
    user_and_database = re.match(r"postgresql://(\w+)@postgres:5432/(\w+)$", address)
    assert user_and_database is not None
    assert user_and_database.groups() == (
        services["postgres"]["environment"]["POSTGRES_USER"],
        services["postgres"]["environment"]["POSTGRES_DB"],
    )
    assert first["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_the_replicas_health_check_asks_the_web_server_and_the_history_store() -> None:
    check = " ".join(COMPOSE["services"]["dashboard-1"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8501/_stcore/health" in check
    assert "python -m smartlead health" in check
    parsed = cli.build_parser().parse_args(["health"])
    assert parsed.handler.__module__ == "smartlead.cli.health"


def test_nginx_keeps_each_browser_on_one_replica_and_passes_websockets() -> None:
    upstream = re.search(r"upstream smartlead_dashboard \{(.*?)\}", NGINX, re.DOTALL)
    assert upstream is not None
    assert "ip_hash;" in upstream.group(1)
    assert re.findall(r"server ([\w-]+):8501;", upstream.group(1)) == list(REPLICAS)
    assert "proxy_set_header Upgrade $http_upgrade;" in NGINX
    assert "proxy_set_header Connection $connection_upgrade;" in NGINX
    mounted = COMPOSE["services"]["nginx"]["volumes"]
    assert "./nginx-compose.conf:/etc/nginx/nginx.conf:ro" in mounted
