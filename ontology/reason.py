"""Check the ontology with HermiT through owlready2.

HermiT needs Java. A machine without it still builds: the check reports that it
could not run, and why, instead of failing the build.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .files import ONTOLOGY_FILE, ontology_graph
from .namespaces import ONTOLOGY_IRI


@dataclass
class ReasoningReport:
    """What HermiT said about the ontology."""

    ran: bool
    consistent: bool | None
    unsatisfiable: list[str] = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (not self.ran) or (bool(self.consistent) and not self.unsatisfiable)


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int, prctl) -> Callable[[], None]:
    """What the reasoner's child runs before ``exec``: the kernel kills it when the
    build that started it dies, even by SIGKILL, so a killed build leaves no ``java``
    behind; and it goes at once if that build is gone already."""

    def before_exec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)

    return before_exec


@contextlib.contextmanager
def _reasoner_dies_with_us(owlready2) -> Iterator[None]:
    """Start owlready2's ``java`` (through its subprocess options) so that it dies
    with this process. Linux only (prctl); elsewhere the options stay as they are."""
    options = getattr(getattr(owlready2, "reasoning", None), "_subprocess_kargs", None)
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        prctl = None
    if not isinstance(options, dict) or prctl is None or "preexec_fn" in options:
        yield
        return
    options["preexec_fn"] = _die_with_parent(os.getpid(), prctl)
    try:
        yield
    finally:
        options.pop("preexec_fn", None)


def check_ontology(java: str | None = None) -> ReasoningReport:
    """Classify the bundled ontology with HermiT; degrade with a message without Java."""
    java_path = java or shutil.which("java")
    if not java_path:
        return ReasoningReport(
            ran=False,
            consistent=None,
            message="Java was not found, so HermiT could not check the ontology; "
            "install a Java runtime (17 or newer) to enable reasoning.",
        )
    try:
        import owlready2
    except ImportError as exc:  # pragma: no cover - owlready2 is a dependency
        return ReasoningReport(False, None, message=f"owlready2 is not importable: {exc}")

    owlready2.JAVA_EXE = java_path
    started = time.perf_counter()
    nt = ontology_graph().serialize(format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(ONTOLOGY_IRI)
    onto.load(fileobj=io.BytesIO(nt), format="ntriples")
    try:
        with onto, _reasoner_dies_with_us(owlready2):
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return ReasoningReport(
            True,
            False,
            message=f"HermiT found {ONTOLOGY_FILE} inconsistent.",
            seconds=time.perf_counter() - started,
        )
    except (OSError, owlready2.OwlReadyJavaError) as exc:
        return ReasoningReport(False, None, message=f"HermiT could not run: {exc}")
    unsat = sorted(c.iri for c in world.inconsistent_classes())
    message = "consistent" if not unsat else f"{len(unsat)} unsatisfiable classes"
    return ReasoningReport(True, True, unsat, message, time.perf_counter() - started)
