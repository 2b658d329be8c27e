"""Layer 7, batch: templates with typed variables, rows in, the ledger, resumable runs.

May import: transport and everything below it.
"""
