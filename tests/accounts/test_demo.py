"""The demo partnership: loaded once, only in demo mode, with an account for each role, and
listed by `sharewise demo users`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from sharewise.accounts import demo
from sharewise.accounts.demo import demo_load_if_empty, demo_sign_in_help
from sharewise.accounts.models import Profile
from sharewise.agencies.models import Agency, Membership

EXPECTED_ACCOUNTS = [
    {"username": "teacher", "role": "practitioner", "agency": "Oakfield Primary School"},
    {"username": "dsl", "role": "safeguarding_lead", "agency": "Oakfield Primary School"},
    {"username": "head", "role": "manager", "agency": "Oakfield Primary School"},
    {"username": "auditor", "role": "auditor", "agency": "Oakfield Primary School"},
    {"username": "gp", "role": "practitioner", "agency": "Riverside GP Practice"},
    {"username": "namednurse", "role": "safeguarding_lead", "agency": "Riverside GP Practice"},
    {"username": "hv", "role": "practitioner", "agency": "Northtown Health Visiting Team"},
    {
        "username": "socialworker",
        "role": "practitioner",
        "agency": "Northtown Children's Social Care",
    },
    {"username": "police", "role": "practitioner", "agency": "Northtown Police"},
    {"username": "youthworker", "role": "practitioner", "agency": "Northtown Youth Project"},
    {
        "username": "admin",
        "role": "partnership_admin",
        "agency": "Northtown Children's Social Care",
    },
]


@pytest.fixture
def demo_on(settings: Any) -> None:
    settings.SHAREWISE_DEMO = True


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_on")
def test_the_loader_makes_the_partnership_once() -> None:
    assert demo_load_if_empty() is True
    assert demo_load_if_empty() is False
    # The charity may rely on the recognised legitimate interest; the others may not.
    assert list(Agency.objects.filter(public_authority=False).values_list("name", flat=True)) == [
        "Northtown Youth Project"
    ]
    assert sorted(Agency.objects.values_list("name", "kind")) == [
        ("Northtown Children's Social Care", "childrens_social_care"),
        ("Northtown Health Visiting Team", "health_visiting"),
        ("Northtown Police", "police"),
        ("Northtown Youth Project", "voluntary"),
        ("Oakfield Primary School", "school"),
        ("Riverside GP Practice", "gp_practice"),
    ]
    memberships = Membership.objects.select_related("user", "agency").order_by("user_id")
    assert [
        {"username": m.user.username, "role": m.role, "agency": m.agency.name} for m in memberships
    ] == EXPECTED_ACCOUNTS
    leads = {m.user.username: m.lead_title for m in memberships if m.lead_title}
    assert leads == {"dsl": "dsl", "namednurse": "named_nurse"}
    assert Profile.objects.filter(is_demo=True).count() == len(EXPECTED_ACCOUNTS)
    teacher = get_user_model().objects.get(username="teacher")
    assert teacher.check_password(settings.SHAREWISE_DEMO_PASSWORD)
    assert teacher.get_full_name() == "Priya Shah"


@pytest.mark.django_db
def test_the_loader_does_nothing_when_demo_mode_is_off(settings: Any) -> None:
    settings.SHAREWISE_DEMO = False
    assert demo_load_if_empty() is False
    assert not Agency.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_on")
def test_the_loader_leaves_a_database_with_agencies_alone() -> None:
    Agency.objects.create(name="Real Town Council", kind="childrens_social_care")
    assert demo_load_if_empty() is False
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_on")
def test_the_people_app_loads_its_demo_records_after_the_accounts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []
    people_demo = types.ModuleType(demo.PEOPLE_DEMO_MODULE)
    people_demo.demo_people_load = lambda: seen.append(Membership.objects.count())  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, demo.PEOPLE_DEMO_MODULE, people_demo)
    assert demo_load_if_empty()
    assert seen == [len(EXPECTED_ACCOUNTS)]


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_on")
def test_serve_says_how_to_sign_in() -> None:
    assert demo_sign_in_help("http://127.0.0.1:8766") == ""
    demo_load_if_empty()
    help_text = demo_sign_in_help("http://127.0.0.1:8766")
    assert "http://127.0.0.1:8766/accounts/login/" in help_text
    for username in ("teacher", "dsl", "admin"):
        assert f"  {username} " in help_text
    assert settings.SHAREWISE_DEMO_PASSWORD in help_text
    assert "`sharewise demo users` lists every demo account" in help_text


def sharewise_command() -> str:
    # The project's own virtual environment, never another installation on PATH.
    return str(Path(sys.executable).parent / "sharewise")


def sharewise(
    data_dir: Path, *arguments: str, **environment: str
) -> subprocess.CompletedProcess[str]:
    """Run the command in a process of its own, with a data directory of its own and none of
    the test run's settings (so SQLite, and demo mode by default)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SHAREWISE_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["SHAREWISE_DATA_DIR"] = str(data_dir)
    env["SHAREWISE_CACHE_DIR"] = str(data_dir / "cache")
    env.update(environment)
    return subprocess.run(
        [sharewise_command(), *arguments], env=env, capture_output=True, text=True, timeout=120
    )


def test_demo_users_lists_the_accounts_as_json_and_as_a_table(tmp_path: Path) -> None:
    assert sharewise(tmp_path, "manage", "migrate", "--verbosity", "0").returncode == 0

    empty = sharewise(tmp_path, "demo", "users", "--json")
    assert empty.returncode == 0, empty.stderr
    assert json.loads(empty.stdout) == []
    assert "no demo accounts" in sharewise(tmp_path, "demo", "users").stdout

    loaded = sharewise(tmp_path, "demo", "load")
    assert loaded.returncode == 0, loaded.stderr
    listed = sharewise(tmp_path, "demo", "users", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == EXPECTED_ACCOUNTS

    table = sharewise(tmp_path, "demo", "users").stdout.splitlines()
    assert table[0].split() == ["username", "role", "agency"]
    assert table[1].split()[0] == "teacher" and table[1].endswith("Oakfield Primary School")
    assert any(line.startswith("dsl ") and "Designated safeguarding lead" in line for line in table)


def test_demo_load_is_refused_when_demo_mode_is_off(tmp_path: Path) -> None:
    assert sharewise(tmp_path, "manage", "migrate", "--verbosity", "0").returncode == 0
    result = sharewise(tmp_path, "demo", "load", SHAREWISE_DEMO="off")
    assert result.returncode == 2
    assert "demo mode is off" in result.stderr
    assert json.loads(sharewise(tmp_path, "demo", "users", "--json").stdout) == []
