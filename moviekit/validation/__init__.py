"""Layer 4, validation: the schema's errors explained, and the lints, as one report.

May import: timing, values, the service model.
"""
