"""The window and the desktop it runs on: one instance per data folder, the screen kept awake, Qt's log."""
