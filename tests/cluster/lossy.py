"""A loopback HTTP relay in front of the live node that loses one answer: the first request
whose method and path match is sent on to the node (which does the work) and the connection
to the client is then closed without the node's answer, as a network cut after the request
went through does. Every other request is relayed as it is (HTTP/1.1, keep-alive, bodies by
Content-Length or chunked)."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


def _read_message(sock: socket.socket, buf: bytearray, head_only: bool = False) -> bytes | None:
    """One HTTP message (head and body; the head alone for the answer to a HEAD) from
    ``sock``; None when the peer closed first."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    end = buf.index(b"\r\n\r\n") + 4
    head = bytes(buf[:end]).decode("latin-1")
    length = re.search(r"(?im)^content-length:\s*(\d+)", head)
    if head_only:
        total = end
    elif length:
        total = end + int(length.group(1))
        while len(buf) < total:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            buf += chunk
    elif re.search(r"(?im)^transfer-encoding:\s*chunked", head):
        while b"0\r\n\r\n" not in buf[end:]:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            buf += chunk
        total = buf.index(b"0\r\n\r\n", end) + 5
    else:
        total = end
    message = bytes(buf[:total])
    del buf[:total]
    return message


class LossyRelay:
    def __init__(self, upstream: str, method: str, path: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 9200)
        self.pattern = re.compile(rf"^{method} {path}")
        self.lost: list[str] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self._server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(self.upstream)
        cbuf, ubuf = bytearray(), bytearray()
        try:
            while True:
                request = _read_message(client, cbuf)
                if request is None:
                    return
                upstream.sendall(request)
                answer = _read_message(upstream, ubuf, request.startswith(b"HEAD "))
                if answer is None:
                    return
                line = request.split(b"\r\n", 1)[0].decode("latin-1")
                if not self.lost and self.pattern.search(line):
                    self.lost.append(line)
                    return  # the node did the work; its answer is lost
                client.sendall(answer)
        except OSError:
            return
        finally:
            client.close()
            upstream.close()

    def close(self) -> None:
        self._stop.set()
        self._server.close()


@contextmanager
def lossy(upstream: str, method: str, path: str) -> Iterator[LossyRelay]:
    relay = LossyRelay(upstream, method, path)
    try:
        yield relay
    finally:
        relay.close()
