"""An HTML title card, then the talk: a conference recording with a branded opener.

The title card is plain HTML styled with Tailwind CSS (``tailwindcss=True`` preloads
it), rendered by the service in a headless browser: anything a web page can lay
out, a gradient, a logo, two-line typography, without a design tool.

Run it to print the Movie JSON:  python cookbook/html_title_card.py
"""

from moviekit import HTML, Movie, Scene, Video

TITLE_CARD = """
<div class="w-full h-full flex flex-col justify-center px-32
            bg-gradient-to-br from-indigo-900 via-purple-800 to-pink-700 text-white">
  <img src="https://cdn.example.com/brand/pycon-logo-white.png" class="w-48 mb-12">
  <p class="text-4xl uppercase tracking-widest opacity-80">PyCon 2025 · Track B</p>
  <h1 class="text-8xl font-extrabold leading-tight mt-6">Testing videos<br>like code</h1>
  <p class="text-5xl mt-10">Ana Lima</p>
</div>
"""

movie = (
    Movie(resolution="full-hd")
    .add(
        Scene(duration=5).add(
            # wait: give the logo a moment to load before the snapshot is taken
            HTML(TITLE_CARD, tailwindcss=True, wait=1).fade_in(0.5).fade_out(0.5),
        )
    )
    .add(
        Scene()
        .transition("fadeblack", 1)
        .add(
            # skip the first 42 s of the recording: setup and microphone checks
            Video("https://cdn.example.com/talks/pycon-2025/track-b-1400.mp4").seek(42),
        )
    )
)

if __name__ == "__main__":
    print(movie.to_json(indent=2))
