"""The kiosk window: Qt only here, rendering state values and forwarding intent (DESIGN.md section 6)."""
