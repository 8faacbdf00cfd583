"""The `sharewise` command: serve, decide, consent, packs, and Django's own commands.

`decide`, `consent` and `packs` are the decision contract's entry points: they use only
the pure guidance core and never import Django, so an integrator's call costs little more
than starting Python (benchmarks/cli.py). Commands that need the database import Django
lazily and share one settings module with the web server.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

EXIT_BAD_INPUT = 2


def _fail(message: str, field: str | None) -> NoReturn:
    # The contract: bad input gives one JSON object on stdout naming the field, exit 2,
    # and the message on stderr for a person at a terminal. Never a traceback.
    print(json.dumps({"error": message, "field": field}))
    print(f"sharewise: {message}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


def _read_json(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        _fail(f"Cannot read {source}: {exc.strerror}", None)
    except UnicodeDecodeError:
        _fail(f"{source} is not UTF-8 text", None)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(
            f"The input is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", None
        )


def cmd_decide(args: argparse.Namespace) -> int:
    from sharewise.guidance.decide import decide
    from sharewise.guidance.errors import GuidanceError

    raw = _read_json(args.file)
    try:
        outcome = decide(raw, pack_id=args.pack)
    except GuidanceError as exc:
        _fail(exc.message, exc.field)
    if args.format == "text":
        from sharewise.guidance.explain import outcome_text
        from sharewise.guidance.packs import pack_get

        print(outcome_text(pack_get(outcome.pack), outcome))
    else:
        _print_json(outcome.as_json(), sys.stdout)
    return 0


def cmd_consent(args: argparse.Namespace) -> int:
    from sharewise.guidance.consent import consent_from_json
    from sharewise.guidance.errors import GuidanceError

    raw = _read_json(args.file)
    try:
        result = consent_from_json(raw)
    except GuidanceError as exc:
        _fail(exc.message, exc.field)
    _print_json(result, sys.stdout)
    return 0


def cmd_packs(args: argparse.Namespace) -> int:
    from sharewise.guidance import packs_cli

    return packs_cli.run(args)


def cmd_serve(args: argparse.Namespace) -> int:
    from sharewise.server import serve

    return serve(host=args.host, port=args.port, workers=args.workers, jobs=args.jobs)


def cmd_manage(args: argparse.Namespace) -> int:
    from sharewise.server import manage

    return manage(args.arguments)


def cmd_token(args: argparse.Namespace) -> int:
    from sharewise.api.tokens_cli import run

    return run(args)


def cmd_audit(args: argparse.Namespace) -> int:
    from sharewise.audit.audit_cli import run

    return run(args)


def cmd_decisions(args: argparse.Namespace) -> int:
    from sharewise.decisions.decisions_cli import run

    return run(args)


def cmd_keys(args: argparse.Namespace) -> int:
    from sharewise.crypto.keys_cli import run

    return run(args)


def cmd_demo(args: argparse.Namespace) -> int:
    from sharewise.accounts.demo_cli import run

    return run(args)


def cmd_backup(args: argparse.Namespace) -> int:
    from sharewise.backup import run_backup

    return run_backup(args.file)


def cmd_restore(args: argparse.Namespace) -> int:
    from sharewise.backup import run_restore

    return run_restore(args.file, assume_yes=args.yes)


def _print_json(document: Any, stream: TextIO) -> None:
    stream.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sharewise",
        description="Decide whether to share information about a child or an adult at risk, "
        "share it properly, and keep the record the guidance expects.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="start the web app (creates the database on first run)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=None, help="server processes (default: 2)")
    p.add_argument(
        "--no-jobs",
        dest="jobs",
        action="store_false",
        help="run no background job worker here (run `sharewise manage db_worker` elsewhere)",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("decide", help="facts JSON in, outcome JSON out (decision contract)")
    p.add_argument("file", nargs="?", default="-", help="facts JSON file, or - for stdin")
    p.add_argument("--pack", help="the pack to apply (overrides the input's 'pack')")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.set_defaults(func=cmd_decide)

    p = sub.add_parser("consent", help="consent responses in, effective consent out")
    p.add_argument("file", nargs="?", default="-", help="JSON file, or - for stdin")
    p.set_defaults(func=cmd_consent)

    from sharewise.guidance.packs_cli import add_parser as add_packs_parser

    add_packs_parser(sub, cmd_packs)

    from sharewise.api.tokens_cli import add_parser as add_token_parser

    add_token_parser(sub, cmd_token)

    from sharewise.audit.audit_cli import add_parser as add_audit_parser

    add_audit_parser(sub, cmd_audit)

    from sharewise.decisions.decisions_cli import add_parser as add_decisions_parser

    add_decisions_parser(sub, cmd_decisions)

    from sharewise.crypto.keys_cli import add_parser as add_keys_parser

    add_keys_parser(sub, cmd_keys)

    p = sub.add_parser("demo", help="the fictional demo partnership and its accounts")
    demo = p.add_subparsers(dest="demo_command", required=True, metavar="DEMO_COMMAND")
    users = demo.add_parser("users", help="list the demo accounts: username, role, agency")
    users.add_argument("--json", action="store_true", help="print them as a JSON list")
    demo.add_parser("load", help="load the demo partnership into a database with no agencies")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("backup", help="copy the whole database, with a manifest, into FILE")
    p.add_argument("file", metavar="FILE", help="the backup file to write (must not exist)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the whole database with a backup")
    p.add_argument("file", metavar="FILE", help="a file written by `sharewise backup`")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("manage", help="run a Django management command with Sharewise's settings")
    p.add_argument("arguments", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def _contract_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of `decide` or `consent` in their plain forms, read without argparse.

    Integrators run `sharewise decide` once per decision, and building argparse's parser
    (with the locale and terminal look-ups it makes) costs more than deciding. Anything
    this does not recognise, such as --help, goes to argparse as usual.
    """
    if not argv or argv[0] not in ("decide", "consent"):
        return None
    args = argparse.Namespace(file="-", pack=None, format="json")
    args.func = cmd_decide if argv[0] == "decide" else cmd_consent
    rest = list(argv[1:])
    files = []
    while rest:
        word = rest.pop(0)
        if argv[0] == "decide" and word in ("--pack", "--format") and rest:
            setattr(args, word[2:], rest.pop(0))
        elif argv[0] == "decide" and word.startswith(("--pack=", "--format=")):
            name, _, value = word[2:].partition("=")
            setattr(args, name, value)
        elif word == "-" or not word.startswith("-"):
            files.append(word)
        else:
            return None
    if len(files) > 1 or args.format not in ("json", "text"):
        return None
    if files:
        args.file = files[0]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _contract_args(argv) or build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except BrokenPipeError:
        # `sharewise decide ... | head` should end quietly.
        return 0
    return result


if __name__ == "__main__":
    sys.exit(main())
