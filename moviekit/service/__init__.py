"""Layer 1, the service model: what Movie JSON and the JSON2Video API are, with a source per fact.

Imports nothing else from moviekit but the floor (``moviekit._errors``).
"""
