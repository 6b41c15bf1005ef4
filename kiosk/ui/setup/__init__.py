"""The set-up wizard of a fresh install: language, venue, upstream, camera, owner PIN, checks."""
