"""An async web backend that renders a promo per request, many at once, on one event loop.

A shop's backend gets ``POST /promo {"product": "...", "price": 19.9}`` and answers
with the video's URL. ``make_movie`` builds the promo; the ASGI app below (no
framework: it runs under uvicorn, hypercorn or granian as it is, and in any ASGI
framework's place) renders it with one shared :class:`moviekit.AsyncClient`: a
slow render holds a task, not a thread, so hundreds can wait at once. A request
over the per-video budget is refused before anything is sent.

Run it (needs ``moviekit-json2video[async]``):  python cookbook/async_web_backend.py
It serves five requests at once against a local FakeJSON2Video (no key, no
credits) through the app itself, and prints each answer. In production::

    uvicorn async_web_backend:app     # with JSON2VIDEO_API_KEY set
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from moviekit import AsyncClient, BudgetExceededError, Movie, MovieValidationError, Scene, Text

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: running this file renders against the local fake service (the cookbook tests know it)
RENDERS_AGAINST_FAKE = True
#: the most one promo may cost (a 6-second Full HD promo costs 6)
MAX_CREDITS_PER_PROMO = 10


def make_movie(product: str, price: float) -> Movie:
    """The promo for one product: its name, then its price."""
    return Movie(resolution="full-hd").add(
        Scene(duration=3, background_color="#0B132B").add(
            Text(product).style("003").position("center-center").settings(font_size="96px")
        ),
        Scene(duration=3, background_color="#1C2541").add(
            Text(f"{price:.2f} EUR").style("003").position("center-center")
        ),
    )


movie = make_movie("Linen shirt", 49.0)


def make_app(client: AsyncClient) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The ASGI app: ``POST /promo`` renders and answers ``{"project", "url", "duration"}``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) != ("POST", "/promo"):
            await _answer(send, 404, {"error": "POST /promo"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        try:
            order = json.loads(body)
            promo = make_movie(str(order["product"]), float(order["price"]))
            render = await client.render(promo, max_credits=MAX_CREDITS_PER_PROMO)
        except BudgetExceededError as over:
            await _answer(send, 402, {"error": str(over)})
        except (ValueError, KeyError, TypeError, MovieValidationError) as bad:
            await _answer(send, 400, {"error": f"bad order: {bad}"})
        else:
            answer = {"project": render.project_id, "url": render.url,
                      "duration": render.status.duration}  # fmt: skip
            await _answer(send, 200, answer)

    return app


async def _answer(send: Send, status: int, data: dict[str, Any]) -> None:
    body = json.dumps(data).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def serve_five_orders() -> list[dict[str, Any]]:
    """Five shoppers at once, through the app, against a local fake service."""
    import anyio
    import httpx2

    from moviekit import PollPolicy
    from moviekit.testing import FakeJSON2Video

    orders = [{"product": f"Shirt no. {i}", "price": 19.9 + i} for i in range(5)]
    answers: list[dict[str, Any]] = []
    with FakeJSON2Video(speed=20) as server:
        async with AsyncClient(
            api_key=server.api_key,
            base_url=server.base_url,
            poll_policy=PollPolicy.for_local_testing(interval=0.05),  # loopback only
        ) as client:
            transport = httpx2.ASGITransport(app=make_app(client))
            async with httpx2.AsyncClient(transport=transport, base_url="http://shop") as web:

                async def order(data: dict[str, Any]) -> None:
                    reply = await web.post("/promo", json=data)
                    answers.append({"status": reply.status_code, **reply.json()})

                async with anyio.create_task_group() as shoppers:
                    for data in orders:
                        shoppers.start_soon(order, data)
        assert len(server.projects()) == 5  # one render per order, all at once
    return answers


def main() -> list[dict[str, Any]]:
    """Serve the five orders and print the answers."""
    import anyio

    answers = anyio.run(serve_five_orders)
    for answer in answers:
        print(answer["status"], answer["url"], f"{answer['duration']:g} s")
    return answers


if __name__ == "__main__":
    main()
