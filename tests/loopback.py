"""A real HTTP server on 127.0.0.1 (a free port) for the update tests, with the faults they need.

``server.routes[path]`` is the body to serve (bytes) or a behaviour: ``fail(status, times, then=body)``,
``stall(seconds)``, ``cut_off(body)`` or ``unsized(body)``. ``server.hits[path]`` counts the requests.
Every wait is bounded and ends when the server stops, so a test never hangs on it.
"""

import socket
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    server: "LoopbackServer"

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.server.hits[self.path] += 1
        route = self.server.routes.get(self.path)
        try:
            if route is None:
                self.send(404, b"not found\n")
            elif callable(route):
                route(self)
            else:
                self.send(200, route)
        except OSError:
            self.close_connection = True  # the client gave up (a timeout test): nothing to answer

    def send(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = {}
        self.hits = Counter()
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path):
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def handle_error(self, request, client_address):
        pass  # a client that hung up mid-answer is what some tests do on purpose

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.shutdown()
        self.server_close()
        self._thread.join(5)


def fail(status, times, then=None, headers=()):
    """Answer ``status`` the first ``times`` requests, then serve ``then`` (or keep failing)."""
    count = {"n": 0}

    def route(handler):
        count["n"] += 1
        if count["n"] <= times or then is None:
            handler.send(status, f"{status}\n".encode(), headers)
        else:
            handler.send(200, then)

    return route


def stall(seconds):
    """Say nothing for ``seconds`` (or until the server stops): a read timeout for the client."""

    def route(handler):
        handler.server.stopping.wait(seconds)
        handler.close_connection = True

    return route


def cut_off(body):
    """Announce the whole body, send half of it and hang up."""

    def route(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[: len(body) // 2])
        handler.wfile.flush()
        handler.close_connection = True

    return route


def unsized(body):
    """The body with no Content-Length: it ends when the connection closes (HTTP/1.0)."""

    def route(handler):
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(body)
        handler.close_connection = True

    return route


def closed_port():
    """A loopback port that nothing listens on: connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
