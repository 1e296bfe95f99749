"""Pure functions between people and the bot: Block Kit builders out, parsed input in.

Builders (``questionnaire``, ``decision``, ``result``, ``thread``, ``replies``, ``home``, ``record``,
``notices``, ``conflicts``, ``review`` and ``outcome`` for a decision's follow-up, ``report`` for what the
workspace learns) turn stored records and scoring results into
views and messages (``people`` names a person, or someone forgotten); parsers (``forms`` for
modal state, ``phrases`` for what people say in a thread) turn Slack's payloads into typed values.
``blocks`` has the small Block Kit primitives (and ``said``, the one way people's text is shown: as typed),
``wording`` puts the engine's result into words the same way everywhere, ``sources`` links the evidence,
``metadata`` the typed ``private_metadata`` of each modal.

May import: ``scoring``, ``bot.ids``, ``bot.errors``, ``bot.storage.models``. Never Redis, a Slack client,
or anything that does I/O.
"""
