"""Widgets that render a state value and emit intents; no business logic."""
