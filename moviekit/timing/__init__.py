"""Layer 3, timing: time expressions, relative placement, the resolution engine, the Timeline.

Pure: a document and known lengths in, numbers out. May import: values, the service model.
"""
