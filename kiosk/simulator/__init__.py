"""The reference upstream simulator: a real HTTP server that is the executable spec of upstream.

server.py (transport, faults on the wire, `Simulator`), routes.py (the API), state.py
(what upstream knows), faults.py (the `Faults` value), overload.py (capacity),
hangs.py (parked hung connections), visits.py (upload validation), hcerts.py (demo
passes), serve.py (the foreground runner behind `kiosk simulator serve`).
"""
