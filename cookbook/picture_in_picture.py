"""Picture-in-picture: a game walkthrough with the streamer's webcam in the corner.

The gameplay fills the screen; the webcam clip sits on top (higher ``z_index``),
cropped to the face, with its green screen keyed out, placed bottom-right with
x / y, and colour-corrected to match the game's brighter look.

Run it to print the Movie JSON:  python cookbook/picture_in_picture.py
"""

from moviekit import ChromaKey, Correction, Crop, Movie, Scene, Text, Video

movie = Movie(resolution="full-hd", quality="high").add(
    Scene().add(
        # main picture, bottom layer; its length sets the scene's length. The game
        # audio stays, but quieter than the commentary
        Video("https://cdn.example.com/streams/ep12/gameplay.mp4").volume(0.4).z_index(0),
        # webcam: a 1920x1080 recording, cropped to a 720x720 window around the face
        Video("https://cdn.example.com/streams/ep12/webcam-greenscreen.mp4")
        .crop(Crop(width=720, height=720, x=600, y=180))
        .chroma_key(ChromaKey("#00B140", tolerance=30))  # the studio's green screen
        .width(480)
        .height(480)
        .position("custom")
        .x(1400)
        .y(560)  # 40 px from the right and bottom edges
        .correction(Correction(brightness=0.08, contrast=1.1, saturation=1.2))
        .z_index(10),
        Text("Episode 12 · The Sunken Library")
        .style("002")
        .position("top-left")
        .duration(5)
        .z_index(20)
        .settings(font_size="44px", color="#FFFFFF"),
    )
)

if __name__ == "__main__":
    print(movie.to_json(indent=2))
