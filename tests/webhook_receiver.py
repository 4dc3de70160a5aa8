"""A real HTTP server on loopback that plays an incoming chat webhook (Slack's kind) for the
report tests: it answers each POST with the next scripted status (then 200) and keeps what
it received, parsed."""

from __future__ import annotations

import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class WebhookReceiver:
    """``with WebhookReceiver(500, 200) as hook:`` posts to ``hook.url`` get 500, then 200."""

    def __init__(self, *statuses: int) -> None:
        self.statuses: deque[int] = deque(statuses)
        self.received: list[dict[str, Any]] = []
        self.raw: list[bytes] = []
        self.content_types: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.raw.append(body)
                    receiver.content_types.append(self.headers.get("Content-Type", ""))
                    status = receiver.statuses.popleft() if receiver.statuses else 200
                try:
                    receiver.received.append(json.loads(body))
                except ValueError:
                    receiver.received.append({})
                answer = b"ok" if status == 200 else b"invalid_payload"
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/services/T000/B000/secret-token"

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
