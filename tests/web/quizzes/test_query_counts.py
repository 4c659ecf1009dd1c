"""The quiz pages and the submit run the same number of queries whatever the number of questions."""

from __future__ import annotations

from tests.web.quizzes.conftest import answer, single, start, truefalse


def measure(client, count_queries, make_quiz, login_as, questions: int, slug: str) -> dict[str, int]:
    make_quiz([(single if n % 2 else truefalse)(f"q{n}") for n in range(questions)], slug=slug, per_page=50)
    login_as()
    attempt_id = start(client, slug)
    answer(client, attempt_id, 0, **{f"q{n}": "a" if n % 2 else "true" for n in range(questions)})
    counts = {}
    for name, method, url in [("quiz page", "get", f"/quizzes/{slug}"),
                              ("attempt page", "get", f"/attempts/{attempt_id}"),
                              ("summary", "get", f"/attempts/{attempt_id}/finish"),
                              ("submit", "post", f"/attempts/{attempt_id}/submit"),
                              ("review", "get", f"/attempts/{attempt_id}/review")]:
        with count_queries() as counter:
            response = getattr(client, method)(url)
        assert response.status_code in (200, 302), (name, response.status_code)
        counts[name] = counter.count
    client.post("/logout")
    return counts


def test_quiz_pages_and_submit_run_a_constant_number_of_queries(client, count_queries, make_quiz, login_as):
    few = measure(client, count_queries, make_quiz, login_as, 2, "few")
    many = measure(client, count_queries, make_quiz, login_as, 16, "many")
    assert few == many
    assert many["attempt page"] <= 4 and many["submit"] <= 7, many
    print(f"\nqueries per request, 2 or 16 questions: {many}")
