"""Quiz statistics checked against a small data set worked out by hand, following Moodle's definitions."""

from __future__ import annotations

import pytest

from app.quizzes.statistics import Band, median, quiz_statistics, score_distribution

# Four attempts at three questions worth 1, 1 and 2 points.
#
#   attempt  q1  q2  q3  total   q1 others  q2 others  q3 others
#   A         1   1   2     4        3          3          2
#   B         1   0   1     2        1          2          1
#   C         0   1   0     1        1          0          1
#   D         1   0   2     3        2          3          1
MARKS = [[1, 1, 2], [1, 0, 1], [0, 1, 0], [1, 0, 2]]
MAX_MARKS = [1, 1, 2]
IDS = ["q1", "q2", "q3"]


@pytest.fixture(scope="module")
def stats():
    return quiz_statistics(MARKS, MAX_MARKS, IDS)


def test_mean_median_and_spread_of_the_totals(stats) -> None:
    # totals 4, 2, 1, 3: mean 10 / 4 = 2.5; sorted 1 2 3 4, median (2 + 3) / 2 = 2.5
    assert stats.attempts == 4 and stats.max_points == 4
    assert stats.mean == 2.5 and stats.mean_percent == 62.5
    assert stats.median == 2.5
    # deviations 1.5, -0.5, -1.5, 0.5; squares add to 2.25 + 0.25 + 2.25 + 0.25 = 5; SD = sqrt(5 / 3)
    assert stats.standard_deviation == pytest.approx(1.290994, abs=1e-6)
    # cubes add to 3.375 - 0.125 - 3.375 + 0.125 = 0: no skew
    assert stats.skewness == pytest.approx(0)
    # m2 = 5 / 4 = 1.25, m4 = (2 x 5.0625 + 2 x 0.0625) / 4 = 2.5625, k2 = 5 / 3
    # k4 = 16 x (5 x 2.5625 - 3 x 3 x 1.25^2) / (3 x 2 x 1) = 16 x (12.8125 - 14.0625) / 6 = -10 / 3
    # kurtosis = k4 / k2^2 = (-10 / 3) / (25 / 9) = -1.2
    assert stats.kurtosis == pytest.approx(-1.2)


def test_coefficient_of_internal_consistency(stats) -> None:
    # question mark variances (n - 1): q1 0.75 / 3 = 0.25, q2 1 / 3, q3 2.75 / 3; they add to 1.5
    # CIC = 100 x p / (p - 1) x (1 - 1.5 / k2) = 100 x 3 / 2 x (1 - 1.5 / (5 / 3)) = 150 x 0.1 = 15%
    assert stats.internal_consistency == pytest.approx(15)
    # error ratio = 100 x sqrt(1 - 0.15) = 92.195%; standard error = 0.92195 x 1.290994 = 1.190238
    assert stats.error_ratio == pytest.approx(92.195445, abs=1e-6)
    assert stats.standard_error == pytest.approx(1.190238, abs=1e-6)


def test_facility_index_is_the_mean_mark_as_a_percentage_of_the_maximum(stats) -> None:
    # q1 (1 + 1 + 0 + 1) / 4 = 0.75 of 1; q2 2 / 4 = 0.5 of 1; q3 5 / 4 = 1.25 of 2
    assert [q.facility for q in stats.questions] == [75, 50, 62.5]
    assert [q.mean_mark for q in stats.questions] == [0.75, 0.5, 1.25]
    # SD as a percentage of the maximum: q1 sqrt(0.25) = 0.5 of 1 -> 50%
    assert stats.questions[0].standard_deviation == pytest.approx(50)


def test_discrimination_index_correlates_a_question_with_the_rest_of_the_test(stats) -> None:
    q1, q2, q3 = stats.questions
    # q1: marks 1 1 0 1 (mean 0.75), others 3 1 1 2 (mean 1.75)
    #   deviations 0.25 0.25 -0.75 0.25 and 1.25 -0.75 -0.75 0.25
    #   covariance (0.3125 - 0.1875 + 0.5625 + 0.0625) / 3 = 0.25
    #   variances 0.75 / 3 = 0.25 and (1.5625 + 0.5625 + 0.5625 + 0.0625) / 3 = 2.75 / 3
    #   index = 100 x 0.25 / sqrt(0.25 x 2.75 / 3) = 52.2233%
    assert q1.discrimination_index == pytest.approx(52.223297, abs=1e-6)
    # q2: marks 1 0 1 0 (mean 0.5), others 3 2 0 3 (mean 2)
    #   covariance (0.5 x 1 + -0.5 x 0 + 0.5 x -2 + -0.5 x 1) / 3 = -1 / 3
    #   variances 1 / 3 and (1 + 0 + 4 + 1) / 3 = 2; index = 100 x (-1 / 3) / sqrt(2 / 3) = -40.8248%
    #   negative: learners who did well elsewhere did worse here; the key deserves a look
    assert q2.discrimination_index == pytest.approx(-40.824829, abs=1e-6)
    # q3: marks 2 1 0 2 (mean 1.25), others 2 1 1 1 (mean 1.25)
    #   covariance (0.5625 + 0.0625 + 0.3125 - 0.1875) / 3 = 0.25, variances 2.75 / 3 and 0.75 / 3
    assert q3.discrimination_index == pytest.approx(52.223297, abs=1e-6)


def test_discriminative_efficiency_and_weights(stats) -> None:
    q1, q2, q3 = stats.questions
    # q1 sorted marks 0 1 1 1 against sorted others 1 1 2 3: the best possible covariance is
    #   (-0.75 x -0.75 + 0.25 x -0.75 + 0.25 x 0.25 + 0.25 x 1.25) / 3 = 0.25, equal to the actual one: 100%
    assert q1.discriminative_efficiency == pytest.approx(100)
    # q2 sorted 0 0 1 1 against 0 2 3 3: (-0.5 x -2 + -0.5 x 0 + 0.5 x 1 + 0.5 x 1) / 3 = 2 / 3; -1/3 / 2/3
    assert q2.discriminative_efficiency == pytest.approx(-50)
    assert [q.intended_weight for q in stats.questions] == [25, 25, 50]
    # covariance with the total: q1 (0.375 - 0.125 + 1.125 + 0.125) / 3 = 0.5, q2 0, q3 3.5 / 3
    # effective weight = sqrt(cov) / sum of sqrt(cov): 0.7071 / 1.7873 = 39.56%, 0%, 1.0801 / 1.7873 = 60.44%
    assert q1.effective_weight == pytest.approx(39.564392, abs=1e-6)
    assert q2.effective_weight == pytest.approx(0)
    assert q3.effective_weight == pytest.approx(60.435608, abs=1e-6)


def test_score_distribution_in_bands_of_ten_percent(stats) -> None:
    # totals 4, 2, 1, 3 of 4 are 100%, 50%, 25%, 75%; 100% falls in the top band
    assert [band.count for band in stats.distribution] == [0, 0, 1, 0, 0, 1, 0, 1, 0, 1]
    assert stats.distribution[2] == Band(20, 30, 1)
    assert score_distribution([0, 9.99, 10, 100], bands=5) == (
        Band(0, 20, 3), Band(20, 40, 0), Band(40, 60, 0), Band(60, 80, 0), Band(80, 100, 1))


def test_figures_that_need_more_data_are_left_empty() -> None:
    single = quiz_statistics([[1, 0]], [1, 1])
    assert single.mean == 1 and single.median == 1
    assert single.standard_deviation is None and single.internal_consistency is None
    assert single.questions[0].discrimination_index is None
    same = quiz_statistics([[1, 0], [1, 1], [1, 0]], [1, 1])
    assert same.questions[0].facility == 100
    assert same.questions[0].discrimination_index is None  # everyone got it: nothing to correlate
    empty = quiz_statistics([], [1, 2])
    assert empty.mean is None and empty.median is None and empty.attempts == 0


def test_ungraded_essays_count_as_nothing_yet_and_median_of_even_counts() -> None:
    pending = quiz_statistics([[1, None], [0, 2]], [1, 2])
    assert pending.mean == 1.5
    assert median([3, 1, 2]) == 2 and median([4, 1, 3, 2]) == 2.5
