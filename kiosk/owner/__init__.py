"""The venue owner: PIN, owner key pair, recovery code and the manual-log entry path (no Qt)."""
