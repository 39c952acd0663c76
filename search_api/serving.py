"""Running the API: one uvicorn process, or one per core sharing the port (``serve --workers``).

uvicorn's own ``--workers`` gives every process the same listening socket, and whichever
process wakes first accepts every connection waiting. Clients that keep their connections
open (a reverse proxy's keep-alive pool, a load tester) then stay unevenly split for as long
as they live: 16 kept-alive connections to two processes were measured split 2/14, 3/13, 4/12
as often as 7/9, and the process with 14 answers each of its clients after the other 13.

So on Linux each worker here listens on a socket of its own, bound with ``SO_REUSEPORT`` to
the same address: the kernel hands each new connection to one of the listening sockets by a
hash of the client's address and port, which splits connections evenly on average, and a
worker that has not finished starting (or has died) gets none. Elsewhere (no
``SO_REUSEPORT`` with that behaviour) uvicorn's shared-socket workers are used.

The parent process only supervises: it reserves the port (so a port already in use fails at
once, with one message), starts the workers, starts a worker again if one dies, and stops
them all on SIGINT or SIGTERM.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import sys
import threading
import time
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

from search_core.settings import Settings

log = logging.getLogger("uvicorn.error")

STOP_SECONDS = 20.0
"""How long a stopping worker may take to finish its requests before it is killed."""
RESTART_PAUSE = 1.0
"""Pause before starting a worker again after it died, so a worker that cannot start does
not spin."""


def reuse_port_supported() -> bool:
    """True where ``SO_REUSEPORT`` spreads connections over the sockets sharing a port
    (Linux); BSD and macOS accept the option without balancing."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _config(settings: Settings, host: str, port: int, access_log: bool) -> uvicorn.Config:
    from search_api.app import create_app

    return uvicorn.Config(
        create_app(settings), host=host, port=port, log_level="info", access_log=access_log
    )


def serve(
    settings: Settings, host: str, port: int, workers: int = 1, access_log: bool = False
) -> None:
    """Serve the API on ``host:port`` with ``workers`` processes (returns when stopped)."""
    if workers <= 1:
        uvicorn.Server(_config(settings, host, port, access_log)).run()
    elif not reuse_port_supported():
        uvicorn.run(
            "search_api.main:app",
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            access_log=access_log,
        )
    else:
        Supervisor(settings, host, port, workers, access_log).run()


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` with ``SO_REUSEPORT`` (not yet listening)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _worker(settings: Settings, host: str, port: int, access_log: bool) -> None:
    """One worker process: its own socket on the shared port, then uvicorn until stopped."""
    sock = reuse_port_socket(host, port)
    config = _config(settings, host, port, access_log)
    uvicorn.Server(config).run(sockets=[sock])


class Supervisor:
    """Starts ``workers`` processes serving ``host:port`` and keeps that many running."""

    def __init__(
        self, settings: Settings, host: str, port: int, workers: int, access_log: bool
    ) -> None:
        self.settings = settings
        self.host = host
        self.workers = workers
        self.access_log = access_log
        uvicorn.Config("search_api.main:app", log_level="info")  # sets up uvicorn's loggers
        # Held, never listened on: reserves the port (and resolves port 0) for the workers.
        self._reserved = reuse_port_socket(host, port)
        self.port: int = self._reserved.getsockname()[1]
        self._ctx = multiprocessing.get_context("spawn")
        self._procs: list[BaseProcess] = []
        self._stopping = threading.Event()

    def _start(self) -> BaseProcess:
        proc = self._ctx.Process(
            target=_worker,
            args=(self.settings, self.host, self.port, self.access_log),
            name="search-api-worker",
        )
        proc.start()
        log.info("started worker process %s", proc.pid)
        return proc

    def run(self) -> None:
        handlers = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            log.info(
                "serving on http://%s:%d with %d worker processes (SO_REUSEPORT)",
                self.host,
                self.port,
                self.workers,
            )
            self._procs = [self._start() for _ in range(self.workers)]
            while not self._stopping.is_set():
                sentinels = [p.sentinel for p in self._procs]
                multiprocessing.connection.wait(sentinels, timeout=0.5)
                for i, proc in enumerate(self._procs):
                    if proc.exitcode is not None and not self._stopping.is_set():
                        log.warning(
                            "worker process %s exited with code %s; starting another",
                            proc.pid,
                            proc.exitcode,
                        )
                        time.sleep(RESTART_PAUSE)
                        if not self._stopping.is_set():
                            self._procs[i] = self._start()
        finally:
            self._shutdown()
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
            self._reserved.close()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._stopping.set()

    def _shutdown(self) -> None:
        for proc in self._procs:
            if proc.exitcode is None and proc.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for proc in self._procs:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.exitcode is None:
                log.warning("worker process %s did not stop; killing it", proc.pid)
                proc.kill()
                proc.join()
