"""Layer 4, validation: one walk finds every problem; the service model says which are errors.

May import: timing, values, the service model, the floor.
"""
