"""The handle the server keeps for one query worker: start, priority, CPU used,
kill, cause of death. What runs in the worker is ``worker_loop``; the pool that
hands queries to workers is ``sandbox``."""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .channel import Channel

if TYPE_CHECKING:
    from .lanes import Limits

_SIGNALS = {
    signal.SIGXCPU: "its CPU time limit",
    signal.SIGKILL: "a limit",
    signal.SIGSEGV: "a crash in the evaluator",
    signal.SIGABRT: "its memory limit (or a crash in the evaluator)",
}


#: how a worker starts without ``site`` (``python -S``): the folder that holds
#: qharmony's packages becomes the ``qharmony`` namespace's path (an editable install
#: maps them from the repository, a wheel from site-packages), and the folder that
#: holds pyoxigraph goes on the import path
_BOOT = (
    "import sys, types; pkg = types.ModuleType('qharmony'); pkg.__path__ = [sys.argv[4]]; "
    "sys.modules['qharmony'] = pkg; sys.path.insert(0, sys.argv[5]); "
    "from qharmony.queries.worker_loop import main; main(sys.argv)"
)


@cache
def _import_roots() -> tuple[str, str]:
    """The folder of qharmony's packages and the folder that holds pyoxigraph."""
    import pyoxigraph

    return str(Path(__file__).resolve().parent.parent), str(Path(pyoxigraph.__file__).resolve().parent.parent)


#: ``Worker.opened`` of a worker with no store open (None names the empty store)
NOTHING_OPEN = object()


def can_raise_priority() -> bool:
    """Whether this process may set a worker's nice value back to 0 (root, or a
    RLIMIT_NICE that allows it): then spares can start at low priority too."""
    return os.geteuid() == 0 or resource.getrlimit(resource.RLIMIT_NICE)[0] >= 20


class Worker:
    """One worker process, started as a fresh interpreter that runs ``worker_loop``
    (it inherits none of the server's threads, locks or open store).

    It runs in a session of its own, so Ctrl+C at the terminal reaches the server
    only. Where the kernel groups CPU time by session (autogroups), a process's nice
    value weighs only against its own session; so ``set_priority`` sets the nice value
    of the worker's autogroup too, which is what lets a cheap query outrun expensive
    ones, whatever else runs on the machine."""

    def __init__(self, folder: str, limits: Limits, nice: int = 0):
        mine, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-S",
                    "-c",
                    _BOOT,
                    str(theirs.fileno()),
                    folder,
                    json.dumps(asdict(limits)),
                    *_import_roots(),
                ],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # an engine abort prints a backtrace; the reply says what happened
                start_new_session=True,  # Ctrl+C at the terminal goes to the server only
            )
        finally:
            theirs.close()
        self.conn = Channel(mine)
        #: the generation this worker has open (it sends no word before the reply then)
        self.opened: object = NOTHING_OPEN
        #: the CPU seconds it had used when it last replied (idle since), if known
        self.cpu_at_rest: float | None = None
        self.nice = 0
        self._lock = threading.Lock()
        self._killed = False
        if nice:
            self.set_priority(nice)

    def set_priority(self, nice: int) -> bool:
        """Set the worker's nice value: a query that is not cheap then takes only the
        CPU that cheap queries and page views leave over. True when it changed; back
        to 0 needs a privilege most servers do not have (then the worker is replaced)."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, nice)
        except OSError:
            return False
        try:
            with open(f"/proc/{self.process.pid}/autogroup", "w") as fh:
                fh.write(str(nice))
        except OSError:
            pass  # no autogroups here: the process's own nice value is what counts
        self.nice = nice
        return True

    def cpu_seconds(self) -> float:
        """CPU time the worker has used so far (user and system)."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return 0.0

    def warm(self, generation: str | None, seconds: float) -> bool:
        """Open ``generation`` before any query needs it; False if the worker failed."""
        try:
            self.conn.send((generation, None, None, None, None, None))
            if bool(self.conn.poll(seconds)) and self.conn.recv() is None:
                self.opened = generation
                return True
            return False
        except (EOFError, OSError):
            return False

    def kill(self) -> None:
        """Kill the process and close the connection, once, whoever calls first."""
        with self._lock:
            if self._killed:
                return
            self._killed = True
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self.conn.close()

    def death(self) -> str:
        try:
            code = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return "an unknown failure"
        if code < 0:
            return _SIGNALS.get(-code, f"signal {-code}")
        return f"exit code {code}"
