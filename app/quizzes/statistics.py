"""Quiz statistics as Moodle's quiz statistics report defines them, from plain lists of marks.

A trainer reads these to find questions that do not work: a facility index near 0 or 100 says a question is
too hard or too easy, and a low or negative discrimination index says the learners who do well on the rest of
the quiz do no better on this question, so its key or wording may be wrong.

The figures follow Moodle's calculator (question/classes/statistics/questions/calculator.php and
mod/quiz/report/statistics/classes/calculator.php): sample variances (divided by n - 1), the discrimination
index as the correlation between a question's mark and the total of the *other* questions, and the
coefficient of internal consistency (Cronbach's alpha). Which attempts count (first, best, all) is the
caller's choice, as Moodle's "attempts to analyse" setting.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionStats:
    """One question's figures; indexes are percentages, None where Moodle shows nothing (too few data)."""

    question_id: str
    attempts: int
    max_mark: float
    mean_mark: float
    facility: float | None
    """Mean mark as a percentage of the question's maximum: high is easy."""
    standard_deviation: float | None
    """Of the marks, as a percentage of the maximum (as Moodle shows it)."""
    discrimination_index: float | None
    """100 x correlation of this question's mark with the total of the other questions."""
    discriminative_efficiency: float | None
    """The discrimination achieved as a percentage of the most these marks could achieve."""
    intended_weight: float
    effective_weight: float | None


@dataclass(frozen=True)
class Band:
    """Attempts scoring from ``low`` (inclusive) to ``high`` percent (exclusive, except 100)."""

    low: float
    high: float
    count: int


@dataclass(frozen=True)
class QuizStats:
    attempts: int
    max_points: float
    mean: float | None
    median: float | None
    standard_deviation: float | None
    skewness: float | None
    kurtosis: float | None
    internal_consistency: float | None
    """Coefficient of internal consistency (Cronbach's alpha), in percent; above 75 is good for a test."""
    error_ratio: float | None
    standard_error: float | None
    distribution: tuple[Band, ...]
    questions: tuple[QuestionStats, ...]

    @property
    def mean_percent(self) -> float | None:
        return None if self.mean is None or not self.max_points else 100 * self.mean / self.max_points

    @property
    def median_percent(self) -> float | None:
        return None if self.median is None or not self.max_points else 100 * self.median / self.max_points


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def median(values: Sequence[float]) -> float | None:
    """The middle mark, or the mean of the two middle marks (Moodle's rule)."""
    ordered = sorted(values)
    count = len(ordered)
    if not count:
        return None
    middle = count // 2
    return ordered[middle] if count % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _covariance(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Sample covariance (divided by n - 1); None with fewer than two attempts."""
    if len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (len(xs) - 1)


def score_distribution(percents: Sequence[float], bands: int = 10) -> tuple[Band, ...]:
    """How many attempts fall in each equal band of 0-100%; the top band includes 100%."""
    width = 100 / bands
    counts = [0] * bands
    for percent in percents:
        counts[min(bands - 1, max(0, int(percent // width)))] += 1
    return tuple(Band(round(i * width, 6), round((i + 1) * width, 6), counts[i]) for i in range(bands))


def question_statistics(marks: Sequence[Sequence[float | None]], max_marks: Sequence[float],
                        question_ids: Sequence[str]) -> tuple[QuestionStats, ...]:
    """Per-question figures from ``marks[attempt][question]``; a mark still to be graded counts as 0."""
    rows = [[m or 0.0 for m in row] for row in marks]
    totals = [sum(row) for row in rows]
    quiz_max = sum(max_marks)
    covariances_with_total = [_covariance([row[q] for row in rows], totals) for q in range(len(max_marks))]
    root_sum = sum(math.sqrt(c) for c in covariances_with_total if c is not None and c >= 0)
    found = []
    for q, (question_id, max_mark) in enumerate(zip(question_ids, max_marks, strict=True)):
        own = [row[q] for row in rows]
        others = [total - mark for total, mark in zip(totals, own, strict=True)]
        average = mean(own)
        variance, other_variance = _covariance(own, own), _covariance(others, others)
        covariance = _covariance(own, others)
        best_covariance = _covariance(sorted(own), sorted(others))
        with_total = covariances_with_total[q]
        found.append(QuestionStats(
            question_id=question_id,
            attempts=len(own),
            max_mark=max_mark,
            mean_mark=average or 0.0,
            facility=100 * average / max_mark if average is not None and max_mark else None,
            standard_deviation=100 * math.sqrt(variance) / max_mark if variance is not None and max_mark else None,
            discrimination_index=(100 * covariance / math.sqrt(variance * other_variance)
                                  if covariance is not None and variance and other_variance else None),
            discriminative_efficiency=(100 * covariance / best_covariance
                                       if covariance is not None and best_covariance else None),
            intended_weight=100 * max_mark / quiz_max if quiz_max else 0.0,
            effective_weight=(100 * math.sqrt(with_total) / root_sum
                              if with_total is not None and with_total >= 0 and root_sum else None),
        ))
    return tuple(found)


def quiz_statistics(marks: Sequence[Sequence[float | None]], max_marks: Sequence[float],
                    question_ids: Sequence[str] | None = None, bands: int = 10) -> QuizStats:
    """Every figure of Moodle's statistics report for one quiz.

    ``marks`` has one row per attempt and one column per question (the points earned, None while a trainer
    has not graded it); ``max_marks`` gives each question's points.
    """
    ids = list(question_ids) if question_ids is not None else [f"q{i + 1}" for i in range(len(max_marks))]
    questions = question_statistics(marks, max_marks, ids)
    columns = [[row[q] or 0.0 for row in marks] for q in range(len(max_marks))]
    totals = [sum(m or 0.0 for m in row) for row in marks]
    max_points = sum(max_marks)
    sum_of_mark_variance = sum(_covariance(column, column) or 0.0 for column in columns)
    moments = _moments(totals, sum_of_mark_variance, len(max_marks))
    percents = [100 * t / max_points for t in totals] if max_points else []
    return QuizStats(attempts=len(totals), max_points=max_points, mean=mean(totals), median=median(totals),
                     distribution=score_distribution(percents, bands), questions=questions, **moments)


def _moments(totals: list[float], sum_of_mark_variance: float, positions: int) -> dict[str, float | None]:
    """Standard deviation, skewness, kurtosis and internal consistency of the attempt totals, as Moodle."""
    found: dict[str, float | None] = dict.fromkeys(
        ("standard_deviation", "skewness", "kurtosis", "internal_consistency", "error_ratio", "standard_error"))
    s = len(totals)
    if s < 2:
        return found
    average = sum(totals) / s
    power2, power3, power4 = (sum((t - average) ** n for t in totals) for n in (2, 3, 4))
    found["standard_deviation"] = math.sqrt(power2 / (s - 1))
    if s < 3:
        return found
    m2, m3, m4 = power2 / s, power3 / s, power4 / s
    k2 = s * m2 / (s - 1)
    k3 = s * s * m3 / ((s - 1) * (s - 2))
    if k2 == 0:
        return found
    found["skewness"] = k3 / k2 ** 1.5
    if s > 3:
        k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
        found["kurtosis"] = k4 / (k2 * k2)
    if positions > 1:
        cic = (100 * positions / (positions - 1)) * (1 - sum_of_mark_variance / k2)
        found["internal_consistency"] = cic
        if cic <= 100:
            found["error_ratio"] = 100 * math.sqrt(1 - cic / 100)
            found["standard_error"] = found["error_ratio"] * math.sqrt(power2 / (s - 1)) / 100
    return found
