"""Espace Client kiosk: the application behind the water utility's front-desk terminals."""

__version__ = "0.1.0"
