"""``python -m qharmony.server.cli_main``: the CLI without the console script."""

from qharmony.server.cli import main

if __name__ == "__main__":
    main()
