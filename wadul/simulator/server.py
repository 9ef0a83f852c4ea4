"""Serving the simulator: a threaded stdlib WSGI server in one process.

Why not granian here: the simulator's state lives in memory and must be one process; see
bench/simulator_capacity.py and the README for the measurement behind the choice.
"""

from __future__ import annotations

import logging
import socket
import socketserver
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from wadul.simulator.app import make_app
from wadul.simulator.core import Simulator

log = logging.getLogger("wadul.simulator")


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


class QuietHandler(WSGIRequestHandler):
    def setup(self):
        super().setup()
        # wsgiref writes headers and body separately; without this, Nagle + delayed ACK
        # add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        log.debug("%s - %s", self.address_string(), format % args)


def make_server(simulator: Simulator, host: str, port: int) -> ThreadingServer:
    server = ThreadingServer((host, port), QuietHandler)
    server.set_app(make_app(simulator))
    simulator.base_url = f"http://{host}:{server.server_address[1]}"
    return server


def serve_in_thread(
    simulator: Simulator, host: str, port: int
) -> tuple[ThreadingServer, threading.Thread]:
    server = make_server(simulator, host, port)
    # A short poll interval: tests start and stop a simulator per test.
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="whatsapp-simulator",
        daemon=True,
    )
    thread.start()
    return server, thread
