"""Everything kept in Redis, and nothing else.

- ``models``: the pydantic records (drafts, assessments, versions, decisions). No Redis import, so the pure
  builders in ``bot.ui`` can use them.
- ``keys``: every Redis key name, in one place (a team's keys share one cluster slot).
- ``connection``: the client for each topology (one server, Cluster, Sentinel), retries, the start-up probe.
- ``migration``: moving keys from the layout of earlier versions (``python -m bot migrate-keys``).
- ``store``: all reads and writes of drafts, assessments, votes and decisions (``Store``).
- ``installations``: Bolt's installation and OAuth state stores for many workspaces; ``cipher`` encrypts
  their tokens.

May import: ``scoring``, ``redis``, ``cryptography``, ``slack_sdk.oauth``. Never ``bot.ui``,
``bot.listeners``, ``bot.server`` or ``bot.devkit``.
"""
