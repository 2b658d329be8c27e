"""Hello world: one scene, a title on a coloured background, and a soft music bed.

Run it to print the Movie JSON:  python cookbook/hello_world.py
Or compile it with the CLI:      moviekit build cookbook/hello_world.py
"""

from moviekit import CONTAINER_LENGTH, Audio, Movie, Scene, Text

movie = (
    Movie(resolution="full-hd", quality="high")
    .add(
        Scene(background_color="#101820", duration=5).add(
            Text("Hello, world!")
            .style("003")
            .settings(font_size="96px", color="#F2AA4C")
            .position("center-center")
            .fade_in(0.5)
        )
    )
    .add(
        Audio("https://example.com/music/soft-piano.mp3")
        .duration(CONTAINER_LENGTH)
        .volume(0.3)
        .fade_out(1)
    )
)

if __name__ == "__main__":
    print(movie.to_json(indent=2))
