"""``python -m alortui``: the same command line as the ``alortui`` script."""

from alortui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
