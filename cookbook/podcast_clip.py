"""Podcast clip: an intro sting, a quote card timed to the clip, an outro after it.

A weekly podcast posts a 30-second excerpt. The audio excerpt's length varies per
episode, so everything is placed relative to it: the guest's name shows with the
clip, the quote card appears 2 s into it and stays until it ends, the waveform
follows the audio for exactly as long, and the end card starts 0.5 s after the clip
ends. The intro is its own scene, entered from nothing; the outro scene is entered
with a cross-fade.

Pass the real length to the timeline to see the exact cut and cost::

    movie.timeline(lengths={"https://cdn.example.com/podcast/ep142-excerpt.mp3": 31.2})

Run it to print the Movie JSON (stdout) and the timeline (stderr):  python cookbook/podcast_clip.py
"""

from moviekit import Audio, Audiogram, Image, Movie, Scene, Text

CLIP = "https://cdn.example.com/podcast/ep142-excerpt.mp3"

intro = Scene(background_color="#1D3557", duration=2.5).add(
    Audio("https://cdn.example.com/podcast/sting.mp3"),
    Text("Small Data, episode 142")
    .style("004")
    .position("center-center")
    .settings(font_size="64px", color="#F1FAEE"),
)

clip = Audio(CLIP, id="clip")
guest = (
    Text("Dr. Amara Osei, epidemiologist")
    .style("001")
    .position("bottom-left")
    .with_(clip)
    .duration(4)
    .settings(font_size="40px", color="#F1FAEE")
)
quote = (
    Text("“Most of what we call big data is small data with bad manners.”")
    .style("002")
    .position("center-center")
    .with_(clip, offset=2)
    .until(clip)
    .settings(font_size="56px", color="#F1FAEE")
)
waves = (
    Audiogram(color="#E63946", opacity=0.6, amplitude=6)
    .position("bottom-right")
    .with_(clip)
    .until(clip)
)
excerpt = Scene(background_color="#1D3557").add(
    Image("https://cdn.example.com/podcast/cover-142.jpg").resize("cover"),
    clip,
    guest,
    quote,
    waves,
)

outro = (
    Scene(background_color="#1D3557", duration=4)
    .transition("fade", 0.5)
    .add(
        Text("Full episode: smalldata.fm/142")
        .style("003")
        .position("center-center")
        .settings(font_size="56px", color="#F1FAEE"),
    )
)

movie = Movie(resolution="squared").add(intro, excerpt, outro)

if __name__ == "__main__":
    import sys

    print(movie.to_json(indent=2))
    # The timeline goes to stderr, so stdout stays pure Movie JSON (pipe it to a file).
    print(movie.timeline(lengths={CLIP: 31.2}), file=sys.stderr)
