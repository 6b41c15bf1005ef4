"""The owner's side of the window: the PIN pad, first run, recovery, the owner menu, and their worker."""
