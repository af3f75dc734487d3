"""RFM scores and segments on plain data (plain pytest, no database)."""

from odoo.addons.oms_intelligent.services.rfm import (
    CustomerFigures,
    quintile_scores,
    rfm_scores,
    segment,
    top_share,
)


def test_ten_distinct_values_make_two_per_quintile():
    assert quintile_scores(range(10)) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_fewer_days_score_higher_on_recency():
    assert quintile_scores([1, 400, 30, 200, 90], higher_is_better=False) == [5, 1, 4, 2, 3]


def test_ties_share_their_score_at_their_middle():
    assert quintile_scores([5, 5, 5, 1]) == [4, 4, 4, 1]  # (1 worse + 3 / 2) / 4 = 0.625 -> 4
    assert quintile_scores([3, 3], higher_is_better=False) == [3, 3]


def test_one_customer_scores_three_and_none_scores_nothing():
    assert quintile_scores([100.0]) == [3]
    assert quintile_scores([]) == []


def test_segments_follow_the_table():
    assert segment(5, 5, 5) == "champions"
    assert segment(5, 5, 3) == "loyal"
    assert segment(3, 3, 1) == "loyal"
    assert segment(5, 1, 1) == "new"
    assert segment(3, 2, 5) == "need_attention"
    assert segment(2, 4, 4) == "at_risk"
    assert segment(2, 2, 2) == "hibernating"
    assert segment(1, 2, 5) == "lost"


def test_rfm_scores_of_a_population():
    customers = [
        CustomerFigures("recent big", 2, 6, 900.0),
        CustomerFigures("recent small", 5, 1, 40.0),
        CustomerFigures("old frequent", 300, 5, 500.0),
        CustomerFigures("old one-off", 400, 1, 60.0),
        CustomerFigures("middle", 60, 3, 200.0),
    ]
    scores = rfm_scores(customers)
    assert {key: score.code for key, score in scores.items()} == {
        "recent big": "555",
        "recent small": "421",  # frequency 1 is shared by two: (0 + 2 / 2) / 5 -> 2
        "old frequent": "244",
        "old one-off": "122",
        "middle": "333",
    }
    assert {key: score.segment for key, score in scores.items()} == {
        "recent big": "champions",
        "recent small": "new",
        "old frequent": "at_risk",
        "old one-off": "lost",
        "middle": "loyal",
    }


def test_top_share_rounds_up_and_keeps_positive_values():
    margins = {"a": 100.0, "b": 50.0, "c": -10.0, "d": 0.0}
    assert top_share(margins, 10) == {"a"}  # 10 % of 4 is 0.4: one
    assert top_share(margins, 50) == {"a", "b"}
    assert top_share(margins, 100) == {"a", "b"}  # never a customer without margin
    assert top_share(margins, 0) == set()


def test_top_share_leaves_ties_at_the_cut_out_together():
    assert top_share({"a": 100.0, "b": 50.0, "c": 50.0, "d": 10.0}, 50) == {"a"}
