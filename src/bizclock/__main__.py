"""``python -m bizclock``: the same command as the ``bizclock`` script."""

from bizclock.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
