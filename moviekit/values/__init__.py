"""Layer 2, values: the small typed values builders accept (lengths, placeholders, objects).

May import: the service model.
"""
