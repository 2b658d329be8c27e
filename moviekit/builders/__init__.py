"""Layer 5, builders: Movie, Scene and the element classes, and the one compile entry.

May import: validation, timing, values, the service model. For the layers above:
``compile_movie(movie) -> Compiled`` (the document, length hints by path, and
the builder behind each path) is what ``to_dict``, ``Movie.timeline()`` and the
preview are built on.
"""

from moviekit.builders._compile import Compiled
from moviekit.builders._movie import compile_movie

__all__ = ["Compiled", "compile_movie"]
