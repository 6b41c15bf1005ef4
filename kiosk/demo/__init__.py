"""The lunch-hour demo: the real engine, client, store and uploader against the simulator."""
