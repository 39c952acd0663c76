"""A real single-node OpenSearch on this machine, for users (``make opensearch``) and the tests.

The node is assembled once from Maven Central (``pom.xml`` beside this file) into a cache folder:
the integ-test distribution (the server with netty4 HTTP) plus the two modules our mappings and
queries need, which Maven Central serves as plain jars: ``analysis-common`` (synonym_graph,
stemmers, asciifolding, edge n-grams) and ``lang-painless`` (the distance script). Each module
gets the plugin descriptor the distribution would have shipped.

Each started node has a data, log and config folder of its own (a fresh temporary folder), a free
loopback port chosen at run time, security off and a small heap, so two suites can run side by
side. OpenSearch refuses to run as root: as root the node runs as ``nobody``, so its files live
under a folder every user can read (``/var/tmp``), not under ``/root``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

VERSION = "2.19.6"
HERE = Path(__file__).resolve().parent
DEFAULT_HEAP = os.environ.get("LOCAL_OPENSEARCH_HEAP", "512m")

_PAINLESS_JARS = (
    "lang-painless",
    "opensearch-scripting-painless-spi",
    "antlr4-runtime",
    "asm",
    "asm-util",
    "asm-tree",
    "asm-commons",
    "asm-analysis",
)


class NodeError(RuntimeError):
    """The node could not be assembled or started; the message says why."""


def _is_root() -> bool:
    return os.geteuid() == 0


def cache_root() -> Path:
    """Where assembled distributions live: ``LOCAL_OPENSEARCH_CACHE``, else a folder every
    user can read when we are root (the node runs as ``nobody``), else the user's cache."""
    env = os.environ.get("LOCAL_OPENSEARCH_CACHE")
    if env:
        return Path(env)
    if _is_root():
        return Path("/var/tmp/therapist-search-opensearch")
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "therapist-search"


def missing_tools() -> str | None:
    """Why no node can be had here (no Java, no Maven), or None."""
    if not (shutil.which("java") or os.environ.get("OPENSEARCH_JAVA_HOME")):
        return "no Java (OpenSearch 2.19 needs Java 17 or newer on the PATH)"
    if not shutil.which("mvn"):
        return "no Maven (mvn resolves the OpenSearch distribution from Maven Central)"
    return None


def java_home() -> str:
    """The JDK the node runs on: ``OPENSEARCH_JAVA_HOME``, ``JAVA_HOME``, else the java on PATH."""
    for var in ("OPENSEARCH_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(var):
            return os.environ[var]
    java = shutil.which("java")
    if java is None:
        raise NodeError(missing_tools() or "no Java")
    return str(Path(java).resolve().parents[1])


def _descriptor(name: str, description: str, classname: str, extends: str = "") -> str:
    return (
        f"description={description}\nversion={VERSION}\nname={name}\nclassname={classname}\n"
        f"java.version=11\nopensearch.version={VERSION}\ncustom.foldername=\n"
        f"extended.plugins={extends}\nhas.native.controller=false\n"
    )


def _resolve(into: Path) -> None:
    """Copy the distribution zip and the module jars from Maven (its local repository first)."""
    cmd = [
        "mvn",
        "-q",
        "-B",
        "-f",
        str(HERE / "pom.xml"),
        "dependency:copy-dependencies",
        "-DexcludeTransitive=true",
        "-Dmdep.stripVersion=true",
        f"-DoutputDirectory={into}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-15:]
        raise NodeError("mvn could not resolve OpenSearch from Maven Central:\n" + "\n".join(tail))


def _assemble(home: Path) -> None:
    with tempfile.TemporaryDirectory(dir=home.parent, prefix=".assemble-") as tmp:
        staging = Path(tmp)
        jars = staging / "jars"
        _resolve(jars)
        with zipfile.ZipFile(jars / "opensearch.zip") as z:
            for info in z.infolist():
                target = Path(z.extract(info, staging))
                mode = info.external_attr >> 16  # zipfile drops the Unix mode: put it back
                if mode and not info.is_dir():
                    target.chmod(mode & 0o777)
        dist = staging / f"opensearch-{VERSION}"
        painless = dist / "modules" / "lang-painless"
        painless.mkdir(parents=True)
        for name in _PAINLESS_JARS:
            shutil.copy(jars / f"{name}.jar", painless / f"{name}.jar")
        (painless / "plugin-descriptor.properties").write_text(
            _descriptor(
                "lang-painless", "Painless scripting", "org.opensearch.painless.PainlessPlugin"
            )
        )
        (painless / "plugin-security.policy").write_text(
            "grant {\n"
            '  permission java.lang.RuntimePermission "createClassLoader";\n'
            '  permission java.lang.RuntimePermission "getClassLoader";\n'
            "};\n"
        )
        common = dist / "modules" / "analysis-common"
        common.mkdir(parents=True)
        shutil.copy(jars / "analysis-common.jar", common / "analysis-common.jar")
        (common / "plugin-descriptor.properties").write_text(
            _descriptor(
                "analysis-common",
                "Common analysis components",
                "org.opensearch.analysis.common.CommonAnalysisPlugin",
                extends="lang-painless",
            )
        )
        for path in [dist, *dist.rglob("*")]:
            mode = path.stat().st_mode
            path.chmod(mode | 0o444 | (0o111 if path.is_dir() or mode & 0o100 else 0))
        dist.rename(home)  # atomic: a half-assembled node is never seen


def ensure_distribution() -> Path:
    """The assembled node's home folder, assembling it first if needed (once, under a lock)."""
    reason = missing_tools()
    if reason:
        raise NodeError(reason)
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(root.stat().st_mode | 0o555)
    home = root / f"opensearch-{VERSION}"
    if (home / "bin" / "opensearch").is_file():
        return home
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (home / "bin" / "opensearch").is_file():
            _assemble(home)
    return home


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _jvm_options(heap: str) -> str:
    return (
        f"-Xms{heap}\n-Xmx{heap}\n-XX:+UseG1GC\n-XX:-HeapDumpOnOutOfMemoryError\n"
        "-Djava.io.tmpdir=${OPENSEARCH_TMPDIR}\n"
        "-Djava.util.concurrent.ForkJoinPool.common.threadFactory="
        "org.opensearch.secure_sm.SecuredForkJoinWorkerThreadFactory\n"
        "18-:-Djava.security.manager=allow\n"
    )


@dataclass
class LocalNode:
    """One running node: ``url``, and ``stop()`` to end it and remove its folder."""

    home: Path
    port: int
    heap: str = DEFAULT_HEAP
    workdir: Path = field(init=False)
    process: subprocess.Popen[bytes] | None = field(init=False, default=None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.workdir / "logs" / "console.log"

    def start(self, timeout_s: float = 180.0) -> None:
        self._prepare()
        self._launch(timeout_s)

    def _prepare(self) -> None:
        base = "/var/tmp" if _is_root() else None
        self.workdir = Path(tempfile.mkdtemp(prefix="opensearch-node-", dir=base))
        for sub in ("data", "logs", "tmp", "config"):
            (self.workdir / sub).mkdir()
        config = self.workdir / "config"
        shutil.copy(self.home / "config" / "log4j2.properties", config / "log4j2.properties")
        (config / "jvm.options").write_text(_jvm_options(self.heap))
        (config / "opensearch.yml").write_text(
            "cluster.name: therapist-search-local\n"
            "node.name: local\n"
            "discovery.type: single-node\n"
            "network.host: 127.0.0.1\n"
            f"http.port: {self.port}\n"
            "transport.port: 0\n"
            f"path.data: {self.workdir / 'data'}\n"
            f"path.logs: {self.workdir / 'logs'}\n"
            "action.destructive_requires_name: true\n"
            "cluster.routing.allocation.disk.threshold_enabled: false\n"
        )

    def _launch(self, timeout_s: float) -> None:
        config = self.workdir / "config"
        env = {
            **os.environ,
            "OPENSEARCH_JAVA_HOME": java_home(),
            "OPENSEARCH_PATH_CONF": str(config),
            "OPENSEARCH_TMPDIR": str(self.workdir / "tmp"),
        }
        env.pop("OPENSEARCH_JAVA_OPTS", None)
        cmd = [str(self.home / "bin" / "opensearch")]
        if _is_root():
            subprocess.run(["chown", "-R", "nobody:nogroup", str(self.workdir)], check=True)
            self.workdir.chmod(0o755)
            cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *cmd]
        log = open(self.log_file, "ab")  # noqa: SIM115  (the child writes it for its life)
        self.process = subprocess.Popen(
            cmd,
            cwd=self.workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            self._wait_ready(timeout_s)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise NodeError(f"OpenSearch exited at start:\n{self._log_tail()}")
            try:
                with urllib.request.urlopen(
                    f"{self.url}/_cluster/health?wait_for_status=yellow&timeout=1s", timeout=3
                ) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise NodeError(f"OpenSearch did not answer within {timeout_s:.0f} s")

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def kill(self) -> None:
        """End the node at once (SIGKILL), as a crash would, keeping its data folder."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def restart(self, timeout_s: float = 180.0) -> None:
        """Start the node again on the same port over the same data (after :meth:`kill`)."""
        self.kill()
        self._launch(timeout_s)

    def pause(self) -> None:
        """Freeze the node (SIGSTOP): it accepts connections but answers nothing."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGCONT)  # a paused node cannot end
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)


@contextlib.contextmanager
def running_node(port: int | None = None, heap: str = DEFAULT_HEAP) -> Iterator[LocalNode]:
    """A started node for the duration of the block."""
    node = LocalNode(home=ensure_distribution(), port=port or free_port(), heap=heap)
    node.start()
    try:
        yield node
    finally:
        node.stop()
