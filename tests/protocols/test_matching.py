"""Which protocol speaks to a share, by the words of its recipient and purpose: plain
functions, no database."""

from __future__ import annotations

from sharewise.protocols.matching import purposes_covering, recipient_names_agency

CSC = ("Northtown Children's Social Care", "Children's social care")
POLICE = ("Northtown Police", "Police")


def test_a_recipient_named_by_its_function_matches_the_agency() -> None:
    assert recipient_names_agency("Children's social care", *CSC)
    assert recipient_names_agency("children’s social care team", *CSC)
    assert recipient_names_agency("the police", *POLICE)
    assert recipient_names_agency("Northtown Police", *POLICE)


def test_a_recipient_of_another_kind_does_not_match() -> None:
    assert not recipient_names_agency("the police", *CSC)
    assert not recipient_names_agency("school nurse", "Oakfield Primary School", "School")
    assert not recipient_names_agency("", *CSC)
    assert not recipient_names_agency("the", *CSC)


def test_purposes_meet_on_a_shared_word() -> None:
    protocol = [
        "Referring safeguarding concerns about children to children's social care",
        "Sharing attendance of pupils missing education",
    ]
    covered = purposes_covering("Refer concerns about bruising to children's social care", protocol)
    assert covered == [protocol[0]]


def test_a_purpose_with_nothing_in_common_is_not_covered() -> None:
    protocol = ["Referring safeguarding concerns about children to children's social care"]
    assert purposes_covering("Tell housing about rent arrears", protocol) == []


def test_words_every_share_uses_do_not_count() -> None:
    # "share" and "information" are in every purpose: they must not make a match.
    assert purposes_covering("Share information about arrears", ["Sharing information"]) == []


def test_short_words_match_only_whole() -> None:
    assert purposes_covering("care", ["Finding a career"]) == []
    assert purposes_covering("care plan", ["Social care"]) == ["Social care"]


def test_no_purpose_given_lists_every_purpose() -> None:
    assert purposes_covering("", ["A", "B", " "]) == ["A", "B"]
