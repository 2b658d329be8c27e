"""The tests of testing_your_movies.py: what a user writes to test a movie offline."""

from testing_your_movies import movie, price

from moviekit.testing import assert_on_screen, assert_total_between


def test_movie_matches_its_golden_file(moviekit_golden):
    moviekit_golden(movie)  # golden/test_testing_your_movies/<this test>.json


def test_timeline():
    assert_total_between(movie, 11, 13)
    assert_on_screen(movie, 4.0, price)  # the price shows from 4 s (scene 2 starts at 3, +1 s)
