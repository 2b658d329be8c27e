"""A weekly cooking recipe video with the channel's logo watermark and background music.

Both the watermark and the music are movie-level elements: added to the Movie, not
to a scene, they span every scene. The logo sits in the top-right corner, drawn
above the scenes (``z_index``), semi-transparent through its PNG's alpha.

Run it to print the Movie JSON:  python cookbook/watermark_and_music.py
"""

from moviekit import CONTAINER_LENGTH, Audio, Image, Movie, Scene, Text, Video

STEP_SECONDS = 6
STEPS = [
    ("https://cdn.example.com/kitchen/shakshuka/01-onions.mp4", "1. Soften onions and peppers"),
    ("https://cdn.example.com/kitchen/shakshuka/02-tomatoes.mp4", "2. Add tomatoes and spices"),
    ("https://cdn.example.com/kitchen/shakshuka/03-eggs.mp4", "3. Crack in the eggs, cover"),
    ("https://cdn.example.com/kitchen/shakshuka/04-serve.mp4", "4. Herbs, feta, crusty bread"),
]

movie = (
    Movie(resolution="full-hd")
    .add(
        # each step: a short muted clip (the music carries the sound) with its caption
        Scene(duration=STEP_SECONDS)
        .transition("fade", 0.5)
        .add(
            Video(src).muted(True).resize("cover"),
            Text(caption)
            .style("002")
            .position("bottom-left")
            .settings(font_size="52px", color="#FFFFFF", background_color="#00000080"),
        )
        for src, caption in STEPS
    )
    # the watermark: 160 px wide (height follows), on top of every scene, for the
    # whole movie (an image has no natural length, so it needs a duration)
    .add(
        Image("https://cdn.example.com/brand/little-kitchen-logo.png")
        .width(160)
        .height(-1)
        .position("top-right")
        .duration(STEP_SECONDS * len(STEPS))
        .z_index(50)
    )
    .add(
        Audio("https://cdn.example.com/music/sunday-morning-jazz.mp3")
        .duration(CONTAINER_LENGTH)
        .volume(0.4)
        .fade_out(2)
    )
)

if __name__ == "__main__":
    print(movie.to_json(indent=2))
