"""Everything kept in Redis, and nothing else.

- ``models``: the pydantic records (drafts, assessments, versions, decisions). No Redis import, so the pure
  builders in ``bot.ui`` can use them.
- ``keys``: every Redis key name, in one place.
- ``connection``: building the Redis client from ``REDIS_URL``.
- ``store``: all reads and writes of drafts, assessments, votes and decisions (``Store``).
- ``installations``: Bolt's installation and OAuth state stores for many workspaces; ``cipher`` encrypts
  their tokens.

May import: ``scoring``, ``redis``, ``cryptography``, ``slack_sdk.oauth``. Never ``bot.ui``,
``bot.listeners``, ``bot.server`` or ``bot.devkit``.
"""
