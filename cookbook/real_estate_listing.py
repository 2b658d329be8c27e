"""Real-estate listing video from a listing record (the kind a CRM or MLS feed gives you).

``make_movie(listing)`` turns one dict (address, price, photos, agent) into a movie:
an intro over the first photo with a narrated voice-over, one scene per remaining
photo, and an agent card. Call it for every listing in your feed.

Run it to print the Movie JSON of the sample listing:  python cookbook/real_estate_listing.py
"""

from moviekit import Image, Movie, Scene, Text, Var, Voice

SAMPLE_LISTING = {
    "address": "42 Harbour View Road, Brighton",
    "price": 685000,
    "bedrooms": 3,
    "bathrooms": 2,
    "photos": [
        "https://cdn.example.com/listings/8841/front.jpg",
        "https://cdn.example.com/listings/8841/living-room.jpg",
        "https://cdn.example.com/listings/8841/kitchen.jpg",
        "https://cdn.example.com/listings/8841/garden.jpg",
    ],
    "agent": {
        "name": "Priya Shah",
        "phone": "01273 555 014",
        "photo": "https://cdn.example.com/agents/priya-shah.png",
    },
}


def make_movie(listing: dict) -> Movie:
    price = f"£{listing['price']:,}"
    beds, baths = listing["bedrooms"], listing["bathrooms"]
    first, *rest = listing["photos"]
    agent = listing["agent"]

    intro = Scene().add(
        Voice(
            f"Welcome to {listing['address']}. {beds} bedrooms, {baths} bathrooms, "
            f"offered at {price}."
        )
        .voice("en-GB-SoniaNeural")
        .id("narration"),
        # the voice's length is only known at render time: the service defines
        # narration_duration for the element with id "narration", so the photo follows it
        Image(first).resize("cover").zoom(1).duration(Var("narration_duration") + 0.5),
        Text(listing["address"])
        .style("004")
        .position("bottom-left")
        .settings(font_size="52px", color="#FFFFFF", background_color="#00000099"),
    )
    tour = [
        Scene(duration=3.5)
        .transition("slideleft", 0.6)
        .add(Image(src).resize("cover").pan("left").pan_crop(True).duration(3.5))
        for src in rest
    ]
    agent_card = (
        Scene(background_color="#1B263B", duration=5)
        .transition("fade", 0.8)
        .add(
            Image(agent["photo"]).width(360).height(360).position("custom").x(200).y(360),
            Text(f"{price} · {beds} bed · {baths} bath")
            .style("003")
            .position("top-left")
            .settings(font_size="64px", color="#F2AA4C"),
            Text(f"Call {agent['name']} on {agent['phone']}")
            .style("001")
            .start(0.5)
            .settings(font_size="44px", color="#FFFFFF", horizontal_position="right"),
        )
    )
    return Movie(resolution="full-hd").add(intro, *tour, agent_card)


movie = make_movie(SAMPLE_LISTING)

if __name__ == "__main__":
    print(movie.to_json(indent=2))
