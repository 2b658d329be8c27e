"""Deliver a render automatically: to a playout server by FTP, then tell your app by webhook.

A local TV station's daily weather bumper. When the render ends the service runs the
destinations in order: upload to the playout FTP server (dated file name via the
``__yyyy__``-style macros), then POST the result to the station's webhook. The
``email_movie`` variant mails the producer a link (``__video_url__``) instead.
A movie has one export, which may hold several destinations.

Run it to print the Movie JSON:  python cookbook/exports_webhook_ftp.py
"""

from moviekit import FTP, Email, Movie, Scene, Text, Video, Webhook

bumper = (
    Movie(id="weather-bumper", resolution="full-hd")
    .client_data(show="evening-news", segment="weather")  # echoed back in the webhook
    .add(
        Scene(duration=8).add(
            Video("https://cdn.example.com/station/weather-loop.mp4").muted(True).loop(2),
            Text("Weather with Dana")
            .style("003")
            .position("bottom-left")
            .settings(font_size="64px", color="#FFFFFF"),
        )
    )
)

movie = bumper.export_to(
    FTP(
        host="playout.example.com",
        username="render-bot",
        # a placeholder: in real code read it from the environment, or save the server
        # as a dashboard connection and use Connection("<id>") so no password is sent
        password="not-a-real-password",
        remote_path="/incoming/weather/",
        file="weather-__yyyy__-__mm__-__dd__.mp4",
    ),
    Webhook("https://hooks.example.com/json2video/render-finished"),
)

email_movie = bumper.export_to(
    Email(
        to="producer@example.com",
        subject="Weather bumper for __dd__/__mm__ is ready",
        message="Today's bumper: __video_url__ (link valid for a limited time).",
    )
)

if __name__ == "__main__":
    print(movie.to_json(indent=2))
