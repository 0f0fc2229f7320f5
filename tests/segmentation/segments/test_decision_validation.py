"""Bad decision-model settings are refused with a message naming the field."""

from segmentation.enums import QualifyMode
from segmentation.segments.decision import model_errors


def errors(**kw):
    base = {
        "weights": {"revenue_12m": 1},
        "mode": QualifyMode.PERCENTILE,
        "percentile": 90,
        "thresholds": {},
    }
    return model_errors(**(base | kw))


def test_good_settings_have_no_errors():
    assert errors() == {}


def test_weights_summing_to_zero_are_refused():
    assert "sum to zero" in errors(weights={"revenue_12m": 0, "regularity": 0})["weights"]


def test_negative_weights_are_refused():
    assert "negative" in errors(weights={"revenue_12m": 2, "regularity": -1})["weights"]


def test_a_percentile_outside_0_to_100_is_refused():
    assert "between 0 and 100" in errors(percentile=101)["percentile"]
    assert "between 0 and 100" in errors(percentile=-1)["percentile"]
    assert "between 0 and 100" in errors(percentile="ninety")["percentile"]
    assert errors(percentile=0) == errors(percentile=100) == {}


def test_the_percentile_is_not_checked_when_only_thresholds_apply():
    assert errors(mode=QualifyMode.THRESHOLDS, percentile=500, thresholds={"orders_12m": 4}) == {}


def test_thresholds_mode_needs_one_threshold():
    assert (
        "at least one"
        in errors(mode=QualifyMode.BOTH, thresholds={"orders_12m": None})["thresholds"]
    )


def test_an_unknown_mode_is_refused():
    assert "mode" in errors(mode="vibes")
