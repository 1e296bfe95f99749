"""Encryption of stored tokens with Fernet (the `cryptography` package).

LLM_APPROACH_ENCRYPTION_KEYS holds one or more keys, newest first: the first encrypts, all decrypt, so a key
can be rotated without downtime (see README, "Rotating the encryption key").
"""

from __future__ import annotations

from cryptography.fernet import Fernet, MultiFernet


class EncryptionKeyError(ValueError):
    """LLM_APPROACH_ENCRYPTION_KEYS holds something that is not a Fernet key."""


def cipher(keys: str) -> MultiFernet:
    """A MultiFernet from comma-separated keys, newest first."""
    parts = [k.strip() for k in keys.split(",") if k.strip()]
    if not parts:
        raise EncryptionKeyError("LLM_APPROACH_ENCRYPTION_KEYS is empty")
    try:
        return MultiFernet([Fernet(part.encode()) for part in parts])
    except (ValueError, TypeError):
        raise EncryptionKeyError(
            "LLM_APPROACH_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64 bytes), comma-separated; "
            "make one with: python -m bot new-key"
        ) from None
