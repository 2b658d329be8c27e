"""Vertical social video (Instagram / TikTok story): a clip with a lower third and a call to action.

Components are ready-made animated graphics from the JSON2Video library; their
``settings`` are keyed by the component's parts (``headline``, ``card``, ...).
The lower third names the speaker early; the call to action closes the video.

Run it to print the Movie JSON:  python cookbook/vertical_social.py
"""

from moviekit import Component, Movie, Scene, Text, Video

movie = (
    Movie(resolution="instagram-story", quality="high")  # 1080 x 1920
    .add(
        Scene(duration=12).add(
            Video("https://cdn.example.com/reels/barista-latte-art.mp4")
            .resize("cover")
            .volume(0.8),
            # lower third: in at 1 s, out after 4 s, so it does not cover the latte art
            Component("basic/001")
            .start(1)
            .duration(4)
            .settings(
                headline={"text": "Jonas, head barista", "color": "#FFFFFF"},
                card={"background-color": "#3A2618"},
            ),
        )
    )
    .add(
        Scene(background_color="#3A2618", duration=4)
        .transition("slideup", 0.5)
        .add(
            Text("Free oat upgrade this week")
            .style("003")
            .position("center-center")
            .settings(font_size="88px", color="#FFF3E0", text_align="center"),
            # call to action: a rounded button near the bottom, inside the safe area
            Component("basic/050")
            .position("custom")
            .x(140)
            .y(1500)
            .width(800)
            .height(200)
            .settings(
                headline={"text": "Order ahead in the app", "color": "#3A2618"},
                card={"background-color": "#FFC857", "border-radius": "48px"},
            ),
        )
    )
)

if __name__ == "__main__":
    print(movie.to_json(indent=2))
