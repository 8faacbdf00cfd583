"""The `sharewise` command as integrators call it: the venv's entry point, no uv."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SHAREWISE = Path(sys.executable).with_name("sharewise")
FIXTURES = Path(__file__).parents[1] / "fixtures" / "packs"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SHAREWISE), *args], input=stdin, capture_output=True, text=True, timeout=60
    )


def test_decide_reads_a_file_and_pack_flag_overrides(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"pack": "hmg-2018", "purpose": "no"}))
    proc = run("decide", "--pack", "hmg-2008", str(facts))
    assert proc.returncode == 0
    out = json.loads(proc.stdout)
    assert (out["pack"], out["outcome"]) == ("hmg-2008", "do_not_share")


def test_decide_text_format_is_for_people() -> None:
    facts = {
        "pack": "hmg-2008",
        "purpose": "yes",
        "legal_requirement": "statutory_duty",
        "reasons_not_to_seek_consent": [],
    }
    proc = run("decide", "--format", "text", stdin=json.dumps(facts))
    assert proc.returncode == 0
    assert "Outcome: You must share (basis: legal obligation)" in proc.stdout
    assert "Steps:" in proc.stdout and "[3.7, 3.8]" in proc.stdout
    assert "What to record:" in proc.stdout and "Paragraphs cited:" in proc.stdout


def test_bad_input_is_one_json_error_and_exit_2() -> None:
    for stdin, field in (("not json", None), ("[1]", None), ('{"purpose": "maybe"}', "purpose")):
        proc = run("decide", stdin=stdin)
        assert proc.returncode == 2
        assert json.loads(proc.stdout)["field"] == field
        assert "Traceback" not in proc.stderr


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    proc = run("decide", str(tmp_path / "missing.json"))
    assert proc.returncode == 2
    assert "Cannot read" in json.loads(proc.stdout)["error"]


def test_packs_list_show_check_and_diff() -> None:
    listing = run("packs", "list", "--json")
    ids = [p["id"] for p in json.loads(listing.stdout)["packs"]]
    assert ids == ["hmg-2008", "hmg-2018", "hmg-2024", "hmg-2024-duty"]
    assert "hmg-2018" in run("packs").stdout

    shown = run("packs", "show", "hmg-2008").stdout
    assert "[purpose] Is there a clear and legitimate purpose" in shown
    assert "SEEK ADVICE" in shown

    assert run("packs", "check").returncode == 0
    broken = run("packs", "check", str(FIXTURES / "broken-cycle"))
    assert broken.returncode == 1 and "cycle" in broken.stdout

    diff = json.loads(run("packs", "diff", "hmg-2008", "hmg-2018", "--json").stdout)
    assert diff["combinations"] > 1000
    # The 2008 guidance lets non-confidential information be shared without consent; the
    # 2018 advice asks for a lawful reason instead, and with none it does not share.
    share_vs_not = [
        d
        for d in diff["differences"]
        if d["hmg-2008"] == "share" and d["hmg-2018"] == "do_not_share"
    ]
    assert share_vs_not
    assert any(
        case["confidential"] == "no" and case["lawful_basis"] == "none"
        for case in share_vs_not[0]["cases"]
    )
    assert run("packs", "diff", "hmg-2008", "hmg-2008", "--json").stdout.count('"count"') == 0


def test_unknown_pack_to_show_exits_2() -> None:
    proc = run("packs", "show", "hmg-1999")
    assert proc.returncode == 2 and "There is no pack" in proc.stderr


def test_decide_does_not_import_django() -> None:
    code = (
        "import sys, io, json; sys.stdin = io.StringIO(json.dumps({'purpose': 'yes'})); "
        "from sharewise.cli import main; main(['decide']); "
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_decide_arguments_in_every_spelling(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"purpose": "no"}))
    for args in (
        ["--pack=hmg-2008", str(facts)],
        [str(facts), "--pack", "hmg-2008"],
        ["--pack", "hmg-2008", "-"],
    ):
        proc = run("decide", *args, stdin=facts.read_text())
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["pack"] == "hmg-2008"
    # What the quick reading does not know goes to argparse, which explains itself.
    proc = run("decide", "--verbose")
    assert proc.returncode == 2 and "unrecognized arguments: --verbose" in proc.stderr


def test_packs_diff_runs_one_case_through_every_pack(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(
        json.dumps(
            {
                "purpose": "yes",
                "identifiable": "yes",
                "legal_requirement": "none",
                "duty_sender_bound": "yes",
                "duty_recipient_bound": "yes",
                "duty_relevant": "yes",
                "duty_detriment": "more_detrimental",
                "child_harm": "evidence",
                "reasons_not_to_seek_consent": [],
            }
        )
    )
    shown = run("packs", "diff", "--facts", str(case), "--json")
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    by_pack = {p["pack"]: p for p in document["packs"]}
    assert set(by_pack) == {"hmg-2008", "hmg-2018", "hmg-2024", "hmg-2024-duty"}
    # The detriment exception (s16LA(3)): the duty does not compel, and the practitioner
    # is sent for advice rather than told to share on safeguarding grounds what they
    # judged would harm the child more; the 2024 advice alone shares.
    assert by_pack["hmg-2024-duty"]["outcome"] == "seek_advice"
    assert by_pack["hmg-2024"]["outcome"] == "share"
    assert by_pack["hmg-2024"]["basis"] == "safeguarding"
    assert "duty_detriment" in by_pack["hmg-2024"]["unused"]
    asked = {d["aspect"] for d in document["differences"]}
    assert "question 'duty_detriment'" in asked
    text = run("packs", "diff", "hmg-2018", "hmg-2024", "--facts", str(case))
    assert text.returncode == 0
    assert text.stdout.startswith("hmg-2018: ")
    assert "hmg-2008" not in text.stdout


def test_packs_diff_refuses_a_fact_no_pack_knows(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"purpse": "yes"}))
    shown = run("packs", "diff", "--facts", str(case))
    assert shown.returncode == 2
    assert "'purpse' is not a fact any pack knows" in shown.stderr
    assert "Traceback" not in shown.stderr
    assert run("packs", "diff", "hmg-2018").returncode == 2
