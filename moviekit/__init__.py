"""moviekit: make videos as code for the JSON2Video API.

Build a movie with chained builders, check it offline, compile it to Movie JSON::

    from moviekit import Movie, Scene, Text, Video

    movie = Movie(resolution="full-hd").add(
        Scene().add(Video("https://example.com/beach.mp4"), Text("For sale").duration(4))
    )
    doc = movie.to_dict()   # validated Movie JSON

Everything users import lives here; modules whose names start with ``_`` are
private and may change.
"""

from moviekit._builders import (
    HTML,
    Audio,
    Audiogram,
    Component,
    Element,
    Image,
    Movie,
    Scene,
    Subtitles,
    Text,
    UnknownElement,
    Video,
    Voice,
)
from moviekit._errors import BuildError, MovieValidationError, MoviekitError
from moviekit._validate import Problem, ValidationReport, validate
from moviekit._values import (
    CONTAINER_END,
    CONTAINER_LENGTH,
    FTP,
    NATURAL_LENGTH,
    SFTP,
    ChromaKey,
    Connection,
    Correction,
    Crop,
    Email,
    Expr,
    Rotate,
    Transition,
    Var,
    Webhook,
)
from moviekit._version import __version__

__all__ = [
    "CONTAINER_END",
    "CONTAINER_LENGTH",
    "FTP",
    "HTML",
    "NATURAL_LENGTH",
    "SFTP",
    "Audio",
    "Audiogram",
    "BuildError",
    "ChromaKey",
    "Component",
    "Connection",
    "Correction",
    "Crop",
    "Element",
    "Email",
    "Expr",
    "Image",
    "Movie",
    "MovieValidationError",
    "MoviekitError",
    "Problem",
    "Rotate",
    "Scene",
    "Subtitles",
    "Text",
    "Transition",
    "UnknownElement",
    "ValidationReport",
    "Var",
    "Video",
    "Voice",
    "Webhook",
    "__version__",
    "validate",
]
