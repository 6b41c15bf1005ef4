"""The reference upstream simulator: a real HTTP server that is the executable spec of upstream.

server.py (`Simulator`: start, stop, routing, the `/_sim/*` control plane), wire.py (the
socket: HTTP/1.1 and faults on the wire), routes.py (the API), state.py (what upstream
knows), visit_store.py (the visits upstream holds), faults.py (the `Faults` value),
overload.py (capacity), hangs.py (parked hung connections), visits.py (upload
validation), hcerts.py (demo passes), serve.py (the foreground runner behind
`kiosk simulator serve`).
"""
