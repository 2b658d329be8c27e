"""Layer 3, timing: time expressions, relative placement, the resolution engine, the Timeline.

Pure: a document and known lengths in, numbers out. May import: values, the service
model (and the floor). Never the builders: relative placement refers to them as opaque
objects, and ``compile_movie`` (builders) calls :func:`._place.lower` with them.

Its modules, each importing only those before it::

    _numbers    the seconds timing computes with (range, safe conversion, messages)
    _expr       time expressions; the service's {{ }} syntax, read and written
    _interval   intervals [lo, hi] and what they depend on
    _engine     resolve_document: when every scene and element plays
    _place      after / with_ / until / sequence, and lowering them at compile
    _spans      what a Timeline is made of (Span, TransitionSpan, Credits)
    _probed     natural lengths measured from the media, with why the rest are not
    _svg        the Timeline as a picture
    _timeline   the Timeline
"""
