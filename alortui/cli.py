"""Command line entry point: parse arguments, then wire settings, token and logging to a command.

This is the only module that wires parts together (style.md 1). Commands are imported lazily so
``alortui --help`` is fast and a missing part fails with a message, not a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable
from typing import Any

from alortui import config, configfile, tokens
from alortui.cliargs import build_parser
from alortui.logsafe import RedactingFilter, setup_logging

log = logging.getLogger(__name__)


class CliError(Exception):
    """A command cannot go on; ``main`` prints the message and returns ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def main(argv: list[str] | None = None) -> int:
    """Run the ``alortui`` command line.

    Args:
        argv: Arguments without the program name; ``None`` means ``sys.argv[1:]``.

    Returns:
        The process exit code: 0 success, 1 runtime error (bad config, token, missing part),
        2 usage error, 130 interrupted.
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: argparse already printed
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return _HANDLERS[args.command](args)
    except (CliError, configfile.ConfigError, tokens.TokenError) as exc:
        # User-facing error at the edge of the program: stderr, one line, no traceback.
        print(f"alortui: {exc}", file=sys.stderr)
        return exc.code if isinstance(exc, CliError) else 1
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    redactor = _start_logging(args, stderr=False)
    settings = config.with_overrides(
        configfile.load_settings(args.config),
        env=args.env,
        theme=args.theme,
        urls={"api_url": args.api_url, "ws_url": args.ws_url, "oauth_url": args.oauth_url},
        token_file=args.token_file,
        watchlist=args.watchlist,
        portfolio=args.portfolio,
    )
    # The demo talks to the embedded simulator with its own token: a real one is not even read.
    use_token = not (args.demo or args.anonymous)
    token = tokens.load_refresh_token(settings.token_file) if use_token else None
    if token is not None:
        redactor.add_secret(token.secret.reveal())
    anonymous = args.anonymous or (not args.demo and token is None)
    log.info(
        "run: demo=%s anonymous=%s env=%s token=%s",
        args.demo,
        anonymous,
        settings.endpoints.env,
        token.origin if token else None,
    )
    run_app = _lazy("alortui.app_runner", "run_app", "the terminal UI")
    return int(run_app(settings, token=token, demo=args.demo, anonymous=anonymous,
                       config_path=args.config))


def _sim(args: argparse.Namespace) -> int:
    _start_logging(args, stderr=True)
    run_standalone = _lazy("alortui.sim.server", "run_standalone", "the simulator")
    try:
        run_standalone(
            port=args.port,
            seed=args.seed,
            refresh_token=args.refresh_token,
            jwt_lifetime=args.jwt_lifetime,
        )
    except KeyboardInterrupt:  # Ctrl-C is how a standalone server is stopped
        return 0
    except OSError as exc:  # e.g. the port is taken
        raise CliError(f"simulator: {exc.strerror or exc}") from None
    return 0


def _screenshots(args: argparse.Namespace) -> int:
    # Quiet unless asked (-v): the written files are listed on stdout, failures on stderr.
    _start_logging(args, stderr=bool(args.verbose))
    render = _lazy("alortui.screenshots", "render_screenshots", "the screenshot generator")
    failure = _lazy("alortui.screenshots", "ScreenshotError", "the screenshot generator")
    try:
        written = render(args.out, args.scene)
    except failure as exc:
        raise CliError(f"screenshots: {exc}") from None
    except OSError as exc:
        raise CliError(f"cannot write screenshots to {args.out}: {exc.strerror or exc}") from None
    sys.stdout.write("".join(f"{path}\n" for path in written))
    return 0


def _bench(args: argparse.Namespace) -> int:
    _start_logging(args, stderr=False)
    return int(_lazy("alortui.bench.cli", "run_bench", "the benchmark")(args))


def _start_logging(args: argparse.Namespace, *, stderr: bool) -> RedactingFilter:
    try:
        return setup_logging(args.log_file, args.verbose, stderr=stderr)
    except OSError as exc:
        raise CliError(f"cannot open log file {args.log_file}: {exc.strerror}") from None


def _lazy(module: str, name: str, what: str) -> Any:
    """Import ``module.name`` when the command needs it.

    Raises:
        CliError: ``module`` itself does not exist. A missing dependency *inside* it still
            raises ``ModuleNotFoundError``: that is a broken install, not a missing part.
    """
    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        raise CliError(f"{what} is not part of this build ({module} is missing)") from None


_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": _run,
    "sim": _sim,
    "bench": _bench,
    "screenshots": _screenshots,
}
