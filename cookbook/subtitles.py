"""Auto subtitles over a talking-head video, in the bold word-by-word style of social clips.

With no ``captions`` the service transcribes the movie's own audio after rendering,
so the only input is the interview clip. ``Subtitles`` is a movie-level element
(never inside a scene) and a movie has at most one.

Run it to print the Movie JSON:  python cookbook/subtitles.py
"""

from moviekit import Movie, Scene, Subtitles, Text, Video

movie = (
    Movie(resolution="full-hd")
    .add(
        Scene().add(
            # no duration: the scene lasts as long as the clip itself
            Video("https://cdn.example.com/interviews/founder-story-take3.mp4"),
            Text("Maya Ortiz · Founder, Loop Bikes")
            .style("002")
            .position("top-left")
            .start(1)
            .duration(4)
            .fade_out(0.5)
            .settings(font_size="40px", color="#FFFFFF"),
        )
    )
    .add(
        Subtitles(language="en").settings(
            style="boxed-word",  # a box jumps from word to word as it is spoken
            font_family="Oswald Bold",
            font_size=110,
            word_color="#FFD400",  # the word being spoken
            line_color="#FFFFFF",  # the rest of the line
            box_color="#000000",
            max_words_per_line=3,  # short lines are easier to read on phones
            position="mid-bottom-center",  # above the bottom edge, clear of player controls
            # the transcriber mishears the brand name; fix it everywhere
            replace={"loop bites": "Loop Bikes"},
        )
    )
)

if __name__ == "__main__":
    print(movie.to_json(indent=2))
