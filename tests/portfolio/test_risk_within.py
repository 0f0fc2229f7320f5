"""`risk_within`: a dashboard figure or bar narrows the page's churn-risk filter, so the list it
links to holds exactly the accounts it counts (pure: no database)."""

import pytest

from portfolio.filters import AT_STAKE, risk_within


@pytest.mark.parametrize("wanted", ["high", "medium", "low", AT_STAKE])
def test_without_a_filter_the_wanted_level_is_the_filter(wanted):
    assert risk_within("", wanted) == wanted


@pytest.mark.parametrize(
    ("chosen", "wanted", "expected"),
    [
        (AT_STAKE, "high", "high"),
        (AT_STAKE, "medium", "medium"),
        (AT_STAKE, "low", None),
        (AT_STAKE, AT_STAKE, AT_STAKE),
        ("high", AT_STAKE, "high"),
        ("medium", AT_STAKE, "medium"),
        ("low", AT_STAKE, None),
        ("high", "high", "high"),
        ("high", "low", None),
        ("low", "medium", None),
    ],
)
def test_the_narrower_of_two_filters_or_none_when_they_share_no_level(chosen, wanted, expected):
    assert risk_within(chosen, wanted) == expected
