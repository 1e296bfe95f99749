"""Running the bot: the Bolt app (``app``), the ASGI web process (``web``), Socket Mode (``runtime``),
structured logs (``logs``) and Prometheus metrics (``metrics``).

May import: everything in ``bot`` except ``bot.devkit``.
"""
