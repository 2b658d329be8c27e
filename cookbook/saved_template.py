"""Event announcements from a saved template: design once, render per event with variables.

``template`` is the design you save in the JSON2Video dashboard: a movie whose text,
photo and timing are ``{{placeholders}}`` (built with ``Var``), with default
``variables`` so it previews on its own. ``movie`` is what you send for each event:
the saved template's 20-character id plus this event's variables, which override
the defaults (scenes in a template request are ignored by the service).

Run it to print the render request:  python cookbook/saved_template.py
"""

from moviekit import Image, Movie, Scene, Text, Var

# The design, saved once as a template (its id comes back from the dashboard).
template = (
    Movie(resolution="full-hd")
    .variables(
        event_name="Open Studio Night",
        date="Friday 14 March, 7 pm",
        venue="Canal Street Studios",
        photo_url="https://cdn.example.com/events/default-crowd.jpg",
        accent="#FF5A5F",
        seconds=6,
    )
    .add(
        Scene(duration=Var("seconds")).add(
            Image(Var("photo_url")).resize("cover").zoom(2),
            Text(Var("event_name"))
            .style("003")
            .position("center-center")
            .settings(font_size="96px", color=Var("accent")),
        ),
        # the details stay up a little longer than the title: people read them
        Scene(background_color=Var("accent"), duration=Var("seconds") + 2).add(
            Text(Var("date")).style("001").position("top-left").settings(font_size="64px"),
            Text(Var("venue"))
            .style("001")
            .position("bottom-left")
            .start(0.5)
            .settings(font_size="56px"),
        ),
    )
)

# What you send for one event: the saved template's id and this event's values.
movie = Movie.from_template(
    "a8Kq2ZbT0mXv7LcR4nWe",
    event_name="Printmaking Workshop",
    date="Saturday 22 March, 10 am",
    venue="Riverside Library, Room 2",
    photo_url="https://cdn.example.com/events/printmaking-2025.jpg",
)

if __name__ == "__main__":
    print(movie.to_json(indent=2))
