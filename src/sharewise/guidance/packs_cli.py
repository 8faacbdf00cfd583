"""`sharewise packs`: list, show, check and diff the policy packs."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .engine import Outcome
from .errors import FactError, PackError
from .packs import pack_get, packs_all, packs_dirs


def add_parser(sub: Any, handler: Callable[[argparse.Namespace], int]) -> None:
    p = sub.add_parser("packs", help="list, show, check and compare the policy packs")
    p.set_defaults(func=handler, packs_command="list", json=False)
    packs_sub = p.add_subparsers(dest="packs_command", metavar="SUBCOMMAND")
    q = packs_sub.add_parser("list", help="the packs shipped (the default with no subcommand)")
    q.add_argument("--json", action="store_true")
    q = packs_sub.add_parser("show", help="a pack's golden rules and flowchart as text")
    q.add_argument("pack_id")
    q = packs_sub.add_parser("check", help="lint the shipped packs, or the pack folders given")
    q.add_argument("paths", nargs="*", type=Path)
    q = packs_sub.add_parser(
        "diff",
        help="every combination of answers through two packs, or with --facts one case "
        "through every pack: where the outcomes differ",
    )
    q.add_argument("a", nargs="?")
    q.add_argument("b", nargs="?")
    q.add_argument("--json", action="store_true")
    q.add_argument(
        "--facts",
        metavar="FILE",
        help="a case's facts (JSON, '-' for stdin): run them through every pack, or the two "
        "named, and show side by side where the outcome, the basis or the questions differ, "
        "with the paragraphs behind each difference",
    )
    q.add_argument(
        "--country",
        default="england",
        help="where the agency is, to say which packs could apply on the case's 'date'",
    )
    q.add_argument(
        "--basis",
        action="store_true",
        help="also count a different lawful basis as a difference (packs of different law "
        "name bases differently, so by default only the outcome and telling the person count)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        if args.packs_command == "show":
            from .explain import flowchart_text

            sys.stdout.write(flowchart_text(pack_get(args.pack_id)))
            return 0
        if args.packs_command == "check":
            return _check(args.paths)
        if args.packs_command == "diff":
            if args.facts is not None:
                named = [p for p in (args.a, args.b) if p]
                return _compare(args.facts, named, as_json=args.json, country=args.country)
            if not (args.a and args.b):
                print(
                    "sharewise packs diff: name two packs, or give --facts FILE to run one "
                    "case through every pack",
                    file=sys.stderr,
                )
                return 2
            return _diff(args.a, args.b, as_json=args.json, with_basis=args.basis)
    except (PackError, FactError) as exc:
        where = f" ({exc.field})" if exc.field else ""
        print(f"sharewise packs: {exc.message}{where}", file=sys.stderr)
        return 2
    return _list(as_json=args.json)


def _list(*, as_json: bool) -> int:
    packs = packs_all()
    if as_json:
        print(json.dumps({"packs": [p.metadata() for p in packs]}, indent=2))
        return 0
    for pack in packs:
        default = "  (default)" if pack.default else ""
        print(
            f"{pack.id}  {pack.edition}  in force from {pack.in_force_from.isoformat()}  v{pack.version}{default}"
        )
        print(f"    {pack.title}")
        print(f"    {pack.publisher}; {pack.hash}")
    return 0


def _check(paths: list[Path]) -> int:
    from .lint import lint_path

    targets = paths or list(packs_dirs().values())
    failed = 0
    for path in targets:
        problems = lint_path(path)
        if problems:
            failed += 1
            print(f"{path.name}: {len(problems)} problem(s)")
            for problem in problems:
                print(f"  {problem}")
        else:
            print(f"{path.name}: ok")
    return 1 if failed else 0


def _summary(outcome: Outcome, *, with_basis: bool) -> str:
    text = outcome.outcome
    if with_basis and outcome.basis:
        text += f" ({outcome.basis})"
    if outcome.inform_subject:
        text += f", tell the person: {outcome.inform_subject}"
    return text


def _diff(a: str, b: str, *, as_json: bool, with_basis: bool = False) -> int:
    from .paths import walk

    pack_a, pack_b = pack_get(a), pack_get(b)
    differences: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    total = 0
    for facts, (out_a, out_b) in walk([pack_a, pack_b]):
        total += 1
        sa = _summary(out_a, with_basis=with_basis)
        sb = _summary(out_b, with_basis=with_basis)
        if sa != sb:
            shown = {k: list(v) if isinstance(v, tuple) else v for k, v in sorted(facts.items())}
            differences[(sa, sb)].append(shown)
    if as_json:
        print(
            json.dumps(
                {
                    "a": a,
                    "b": b,
                    "combinations": total,
                    "differences": [
                        {a: sa, b: sb, "count": len(cases), "cases": cases}
                        for (sa, sb), cases in sorted(
                            differences.items(), key=lambda kv: -len(kv[1])
                        )
                    ],
                },
                indent=2,
            )
        )
        return 0
    differing = sum(len(v) for v in differences.values())
    print(f"{a} against {b}: {total} combinations of answers, {differing} give different outcomes.")
    for (sa, sb), cases in sorted(differences.items(), key=lambda kv: -len(kv[1])):
        print(f"\n{a}: {sa}\n{b}: {sb}\n  {len(cases)} combination(s), for example:")
        for case in cases[:3]:
            print("    " + ", ".join(f"{k}={v}" for k, v in case.items()))
    return 0


def _compare(source: str, pack_ids: list[str], *, as_json: bool, country: str) -> int:
    from .compare import compare

    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        print(f"sharewise packs: cannot read {source}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        print(
            f"sharewise packs: {source} is not JSON: {exc.msg} (line {exc.lineno})", file=sys.stderr
        )
        return 2
    comparison = compare(raw, pack_ids=pack_ids, country=country)
    if as_json:
        print(json.dumps(comparison.as_json(), indent=2, ensure_ascii=False))
        return 0
    for result in comparison.results:
        outcome = result.outcome
        if outcome is None:
            line = f"cannot take these facts: {result.refused}"
        elif outcome.outcome == "ask" and outcome.question:
            line = f"ask: {outcome.question['text']}"
        else:
            line = f"{outcome.outcome}"
            if outcome.basis:
                line += f" ({outcome.basis})"
            line += f": {outcome.title}"
        print(f"{result.pack.id}: {line}")
        if result.not_in_force:
            print(f"    not in force on the case's date: {result.not_in_force}")
        if result.unused:
            print(f"    facts this pack does not know, not used: {', '.join(result.unused)}")
    if not comparison.differences:
        print("\nThe packs agree on this case.")
        return 0
    print(f"\n{len(comparison.differences)} difference(s):")
    for difference in comparison.differences:
        print(f"\n{difference.aspect}")
        for pack_id, value in difference.values.items():
            cites = difference.cites.get(pack_id, ())
            behind = f"  [{', '.join(cites)}]" if cites else ""
            print(f"  {pack_id}: {value}{behind}")
    return 0
