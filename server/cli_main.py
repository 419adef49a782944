"""The ``qharmony`` command (and ``python -m qharmony.server.cli_main``): a plain
``qharmony serve`` starts at once (``serving.quick_serve``: no click, no other
command's module, so the first answer comes sooner); every other line, and a
``serve`` that needs more (the sample built first, an error explained), goes to
the click group in ``cli``."""

from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["serve"]:
        from qharmony.server.serving import ANNOUNCE, quick_serve

        if quick_serve(argv[1:], lambda url: print(ANNOUNCE.format(url=url), flush=True)):
            return
    from qharmony.server.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
