"""Tools for development and tests, never imported by the web or socket processes.

``standin`` is a stand-in for Slack's Web API (a real HTTP server on loopback that records calls and refuses
what Slack would refuse), ``simulator`` sends requests signed as Slack signs them, ``blockkit`` checks Block
Kit limits, ``textview`` renders Block Kit as text, ``local_redis`` starts a throwaway Redis, ``hostile``
makes mentions shaped to cost the most, ``demo`` plays the whole flow in a terminal, ``gallery`` writes
every surface's payload to a folder, and ``slack_cli`` is the Slack CLI's hooks (`slack run`).
"""
