"""Narrated slideshow: the pictures follow the voice-over, whatever its length.

A museum's "object of the week": a voice-over reads the text and three photos follow
the narration. Nobody knows offline how long the synthesised speech will be, so the
photos are placed *relative to the voice*: the first appears with it, each next one
after the previous, and the last one stays until the voice ends (plus a short
pause). moviekit compiles that into the service's own timing variables
(``{{voice1_end}}``...), so the service fits it to the real length.

The ``length_hint`` is never sent: it lets ``movie.timeline()`` show a plausible
picture before rendering (remove it and the timeline shows lower bounds).

Run it to print the Movie JSON (stdout) and the timeline (stderr):

    python cookbook/voiceover_slideshow.py
"""

from moviekit import Image, Movie, Scene, Text, Voice, sequence

NARRATION = (
    "This week: a ceramic bowl from Iznik, made around 1550. Look at the tulips and "
    "carnations painted in cobalt blue and tomato red; the red stands slightly raised "
    "from the glaze, a technique the potters of Iznik mastered for only a few decades."
)
PHOTOS = [
    "https://cdn.example.com/museum/iznik-bowl/front.jpg",
    "https://cdn.example.com/museum/iznik-bowl/detail-tulips.jpg",
    "https://cdn.example.com/museum/iznik-bowl/detail-red.jpg",
]

voice = Voice(NARRATION, voice="en-GB-SoniaNeural").length_hint(16)

# The first two photos get a fixed 5 s each, one after the other, starting with the voice;
# the last one lasts until the voice ends, then 1 s more.
first, second, third = sequence(
    Image(PHOTOS[0]).resize("cover").zoom(1).duration(5),
    Image(PHOTOS[1]).resize("cover").zoom(2).pan("left").duration(5),
    Image(PHOTOS[2]).resize("cover").zoom(2).pan("right"),
)
third = third.until(voice, gap=1)

title = (
    Text("Object of the week")
    .style("003")
    .position("top-left")
    .duration(3)
    .settings(font_size="48px", color="#FFFFFF")
)
# The credit line appears 1 s after the narration ends (and stays for the pause).
credit = (
    Text("Iznik, c. 1550 · Gallery 4")
    .style("001")
    .position("bottom-left")
    .after(voice, gap=-1)
    .duration(2)
    .settings(font_size="36px", color="#FFFFFF")
)

movie = Movie(resolution="full-hd").add(
    Scene(background_color="#111111").add(voice, first, second, third, title, credit)
)

if __name__ == "__main__":
    import sys

    print(movie.to_json(indent=2))
    # The timeline goes to stderr, so stdout stays pure Movie JSON (pipe it to a file).
    print(movie.timeline(), file=sys.stderr)
