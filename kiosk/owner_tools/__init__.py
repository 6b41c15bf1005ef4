"""Owner tools: visit-log export, outage report, retention purge, backup and restore.

Library functions that the `kiosk` commands and the admin screen both call. No Qt:
long work takes a progress callback and a cancel check, and the caller decides on
which thread it runs.
"""
