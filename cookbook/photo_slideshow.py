"""Photo slideshow with music: holiday photos, a caption each, cross-fades, a music bed.

Each photo is its own scene (4 s, a slow Ken Burns zoom) entered with a cross-fade;
the music is a movie-level element, so it plays under every scene and fades out at
the end. A faint audiogram on the closing card pulses with the music.

Run it to print the Movie JSON:  python cookbook/photo_slideshow.py
Or compile it with the CLI:      moviekit build cookbook/photo_slideshow.py
"""

from moviekit import CONTAINER_LENGTH, Audio, Audiogram, Image, Movie, Scene, Text

PHOTOS = [
    ("https://cdn.example.com/albums/lisbon-2024/alfama-rooftops.jpg", "Alfama at dawn"),
    ("https://cdn.example.com/albums/lisbon-2024/tram-28.jpg", "Tram 28, of course"),
    ("https://cdn.example.com/albums/lisbon-2024/belem-tower.jpg", "Belém Tower"),
    (
        "https://cdn.example.com/albums/lisbon-2024/sunset-miradouro.jpg",
        "Sunset, Miradouro da Graça",
    ),
]


def photo_scene(src: str, caption: str) -> Scene:
    return (
        Scene(duration=4)
        .transition("fade", 1)  # cross-fade from the previous photo
        .add(
            # zoom + pan_crop: a gentle Ken Burns move that never shows the background
            Image(src).resize("cover").zoom(2).pan("right").pan_crop(True).duration(4),
            Text(caption)
            .style("002")
            .position("bottom-left")
            .start(0.5)
            .fade_in(0.5)
            .settings(font_size="56px", color="#FFFFFF"),
        )
    )


movie = (
    Movie(resolution="full-hd", quality="high")
    .add(photo_scene(src, caption) for src, caption in PHOTOS)
    .add(
        Scene(background_color="#0B132B", duration=5)
        .transition("fadeblack", 1)
        .add(
            Text("Lisbon, May 2024").style("003").position("center-center").fade_in(1),
            # the waves follow the music: audiograms visualise the movie's audio
            Audiogram(color="#F2AA4C", opacity=0.4, amplitude=4).position("bottom-left"),
        )
    )
    # movie-level music: one track under all scenes, fading out over the last 3 s
    .add(
        Audio("https://cdn.example.com/music/acoustic-summer.mp3")
        .duration(CONTAINER_LENGTH)
        .volume(0.6)
        .fade_out(3)
    )
)

if __name__ == "__main__":
    print(movie.to_json(indent=2))
