"""Testing your movies: a product teaser with offline tests (a golden file, timeline checks).

The movie is three scenes: a title card, the product shot with its price, and a
call to action, under one music bed. Its tests are in
cookbook/test_testing_your_movies.py, a complete pytest file of eight lines:

    pytest cookbook/test_testing_your_movies.py                           # check
    pytest cookbook/test_testing_your_movies.py --moviekit-update-golden  # accept a change

Run it to print the Movie JSON:  python cookbook/testing_your_movies.py
"""

from moviekit import CONTAINER_LENGTH, Audio, Image, Movie, Scene, Text

# Elements the tests talk about get a name: assert_on_screen(movie, 4, price)
# matches the element by value.
title = Text("Trail Runner 2").style("002").settings(font_size="96px")
shoe = Image("https://cdn.example.com/shoes/trail-runner-2.jpg").zoom(2).pan("left")
price = Text("Now $89").position("bottom-right").start(1).settings(font_size="64px")

movie = (
    Movie(resolution="full-hd")
    .add(
        Scene(duration=3, background_color="#101820").add(title),
        Scene(duration=5).add(shoe, price),
        Scene(duration=4, background_color="#F2AA4C").add(Text("Order at example.com")),
    )
    .add(Audio("https://cdn.example.com/music/upbeat.mp3").duration(CONTAINER_LENGTH).volume(0.4))
)

if __name__ == "__main__":
    print(movie.to_json(indent=2))
