"""The kiosk's screens: one module per screen, reusable pieces in ``screens.widgets``."""
