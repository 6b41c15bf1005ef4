"""The kiosk window: Qt only here, rendering state values and forwarding intent (docs/architecture.md)."""
