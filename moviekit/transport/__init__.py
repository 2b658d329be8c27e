"""Layer 6, transport: the HTTP client, jobs, polling and retry rules, media, templates, webhooks.

May import: builders and everything below them.
"""
