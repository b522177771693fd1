"""The ``alortui`` argument parser and its help text.

The chosen subcommand's name lands in ``command`` (``run`` when none is given);
:mod:`alortui.cli` maps names to handlers. There is deliberately no option taking a refresh
token (see :mod:`alortui.tokens`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alortui import __version__, config, tokens
from alortui.models import InstrumentKey

DESCRIPTION = """\
alortui: a read-only terminal market monitor for the ALOR Broker API (MOEX, SPB Exchange).
It shows watchlists, depth of book, the trade tape and instrument details. It never places orders.

With a refresh token it streams live data over WebSocket. Without one it polls ALOR's anonymous
HTTP API, whose data is 15 minutes old (quotes, search, candles only). `alortui --demo` runs
against a simulated exchange on localhost and needs no account."""

EPILOG = """\
The command defaults to `run`: `alortui --demo` is `alortui run --demo`.
`alortui COMMAND --help` describes a command's own options.

Refresh token (deliberately no command-line option: it would end up in shell history and `ps`):
  1. the environment variable {env}, if set;
  2. else the token file: --token-file, config key token_file, default
     {token}
     It must be readable by you only: chmod 600 FILE.
Without a token, alortui polls ALOR's anonymous HTTP API: data 15 minutes old.
Issue a token at https://alor.dev/open-api-tokens."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand (also used to render ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="alortui",
        description=DESCRIPTION,
        epilog=EPILOG.format(env=tokens.ENV_VAR, token=tokens.default_token_path()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,  # else `--token SECRET` would silently mean `--token-file SECRET`
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_run_options(parser)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    parser.set_defaults(command="run", verbose=0)
    # Subcommand options default to SUPPRESS so they don't overwrite options given before the
    # subcommand name (argparse copies every subparser default into the shared namespace).
    run = commands.add_parser(
        "run",
        help="start the terminal UI (default command)",
        argument_default=argparse.SUPPRESS,
        allow_abbrev=False,
        description="Start the terminal UI. Options may also be given before `run`.",
    )
    _add_run_options(run)
    _add_sim_parser(commands)
    _add_bench_parser(commands)
    _add_screenshots_parser(commands)
    return parser


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("run options")
    group.add_argument(
        "--demo",
        action="store_true",
        help="run against the built-in simulated exchange on localhost (no account needed; "
        "endpoint options and the token are not used)",
    )
    group.add_argument(
        "--anonymous",
        action="store_true",
        help="use no token: 15-minutes-delayed HTTP polling "
        "(with --demo: delayed mode against the simulator)",
    )
    group.add_argument(
        "--env",
        choices=config.ENVIRONMENTS,
        help="ALOR environment: prod (real market) or dev (test environment); "
        "default: config endpoints.env, else prod",
    )
    for name, what in (("api", "HTTP API"), ("ws", "WebSocket"), ("oauth", "OAuth token server")):
        group.add_argument(
            f"--{name}-url",
            type=_url_arg(f"{name}_url", f"--{name}-url"),
            metavar="URL",
            help=f"override the {what} URL of the chosen environment",
        )
    group.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help=f"config file (default: {config.default_config_path()})",
    )
    group.add_argument(
        "--token-file",
        type=Path,
        metavar="PATH",
        help=f"owner-only file holding the refresh token (default: {tokens.default_token_path()})",
    )
    group.add_argument(
        "--watchlist",
        type=_watchlist_arg,
        metavar="KEYS",
        help="instruments to watch this run, e.g. MOEX:SBER,MOEX:GAZP:TQBR",
    )
    group.add_argument("--theme", metavar="NAME", help="colour theme")
    group.add_argument("--portfolio", metavar="ID",
                       help="portfolio the Portfolio screen shows (e.g. D12345); saved")
    group.add_argument("--token", "--refresh-token", action=_RefuseToken)
    _add_logging_options(group)


def _add_logging_options(group: argparse._ActionsContainer) -> None:
    group.add_argument(
        "--log-file",
        type=Path,
        metavar="PATH",
        help="append a log to PATH (tokens are redacted); default: no log",
    )
    group.add_argument("-v", "--verbose", action="count", help="log debug detail")


def _add_sim_parser(commands: Any) -> None:
    sim = commands.add_parser(
        "sim",
        allow_abbrev=False,
        help="run the simulated ALOR exchange standalone on localhost",
        description="Serve the simulated ALOR exchange (HTTP, WebSocket, OAuth, GraphQL) on "
        "127.0.0.1 until Ctrl-C. It prints its URLs and its refresh token; use it with "
        "`ALOR_REFRESH_TOKEN=TOKEN alortui --api-url URL --ws-url URL --oauth-url URL`.",
    )
    sim.add_argument("--port", type=int, default=8765, help="TCP port, 0 for any (default: 8765)")
    sim.add_argument("--seed", type=int, default=1, help="market model seed (default: 1)")
    sim.add_argument(
        "--refresh-token",
        metavar="TOKEN",
        help="refresh token the simulator accepts (a test value, not an ALOR "
        "token; default: random, printed at start)",
    )
    sim.add_argument(
        "--jwt-lifetime",
        type=float,
        default=1800.0,
        metavar="SECONDS",
        help="lifetime of the JWTs it issues (default: 1800)",
    )
    _add_logging_options(sim.add_argument_group("logging", argument_default=argparse.SUPPRESS))


def _add_bench_parser(commands: Any) -> None:
    bench = commands.add_parser(
        "bench",
        allow_abbrev=False,
        help="measure the whole pipeline: exchange -> WebSocket -> service -> terminal",
        description="Run the real app in a pseudo-terminal against the simulated exchange "
        "sending a scripted feed, and report ingest, latency, CPU, terminal output, memory, "
        "frame rate, event-loop lag and start-up time per scenario, with the targets. No "
        "config file or token of yours is read.",
    )
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--scenario", choices=("idle", "typical", "busy", "burst", "soak"),
                       help="run only this scenario (default: all but soak, which runs alone: "
                       "the busy feed through connection drops and token expiries)")
    bench.add_argument("--seconds", type=float, metavar="N",
                       help="length of each measured window (default: 20; soak: 600)")
    bench.add_argument("--size", type=_size_arg, metavar="COLSxROWS",
                       help="terminal size (default: 160x50)")
    _add_logging_options(bench.add_argument_group("logging", argument_default=argparse.SUPPRESS))


def _size_arg(text: str) -> tuple[int, int]:
    columns, _, rows = text.lower().partition("x")
    if not (columns.isdigit() and rows.isdigit() and int(columns) >= 40 and int(rows) >= 10):
        raise argparse.ArgumentTypeError("expected COLSxROWS, at least 40x10, e.g. 160x50")
    return int(columns), int(rows)


def _add_screenshots_parser(commands: Any) -> None:
    shots = commands.add_parser(
        "screenshots",
        allow_abbrev=False,
        help="render the SVG screenshots in screenshots/",
        description="Render the README's screenshots: each screen in the dark and the light "
        "theme, an 80x24 terminal and the delayed (anonymous) mode, from the seeded simulator "
        "on a frozen clock, so the files are identical on every run of the same code. No "
        "config file or token is read.",
    )
    shots.add_argument(
        "--out",
        type=Path,
        default=Path("screenshots"),
        metavar="DIR",
        help="directory for the SVG files (default: ./screenshots)",
    )
    shots.add_argument(
        "--scene",
        action="append",
        metavar="NAME",
        help="render only this scene, e.g. watchlist-dark (repeatable; default: all)",
    )
    _add_logging_options(shots.add_argument_group("logging", argument_default=argparse.SUPPRESS))


class _RefuseToken(argparse.Action):
    """A hidden ``--token``: refuses with a pointer to the safe sources, never echoing the value."""

    def __init__(self, option_strings: list[str], dest: str, **_: Any) -> None:
        super().__init__(
            option_strings, dest, nargs="?", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        parser.error(
            f"there is no {option_string} option: a token on the command line leaks into shell "
            f"history and `ps`; set {tokens.ENV_VAR} or use an owner-only token file"
        )


def _url_arg(name: str, option: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        try:
            return config.check_url(name, text, option)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def _watchlist_arg(text: str) -> list[InstrumentKey]:
    try:
        return config.parse_watchlist(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
