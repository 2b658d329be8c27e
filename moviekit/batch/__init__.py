"""Layer 7, batch: templates with typed variables, rows in, the ledger, resumable runs.

May import: transport and everything below it. Draws nothing: progress leaves
as typed events (``_events``), and the command line draws them.

Modules, bottom up: ``_rows`` (rows in), ``_variables`` (declared variables),
``_files`` (video names, results files), ``_store`` (the ledger interface),
``_ledger`` (its SQLite implementation), ``_postgres`` and ``_pg_schema`` (the
PostgreSQL one that many workers share), ``_migrate`` (SQLite to PostgreSQL),
``_results`` (the dry run's report, row results), ``_template``
(MovieTemplate), ``_events``, ``_runner`` (one run's scheduler loop) and
``_batch`` (``Batch``, the public entry).
"""
