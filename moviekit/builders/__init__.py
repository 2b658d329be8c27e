"""Layer 5, builders: Movie, Scene and the element classes, and the one compile entry.

May import: validation, timing, values, the service model.
"""
