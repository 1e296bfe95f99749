"""llm-approach, the Slack app. The decision itself lives in ``scoring``; this package is the Slack shell.

- ``settings``: configuration from the environment; ``ids``: every Block Kit id; ``errors``: the failures
  people are told about.
- ``ui``: pure Block Kit builders (modals, the result, thread replies, Home, the export) and the parsers of
  what people enter or say. No Redis, no Slack client.
- ``storage``: everything kept in Redis: models, key names, the store, installations.
- ``listeners``: thin Bolt handlers, one module per surface, and the single error handler.
- ``server``: the Bolt app, the ASGI web process, Socket Mode, logs and metrics.
- ``devkit``: the Slack stand-in, the request simulator, Block Kit limit checks, the demo. Never imported by
  the serving processes.

Dependencies point one way: server → listeners → (ui, storage) → scoring.
"""
