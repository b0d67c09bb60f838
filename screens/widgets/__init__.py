"""Reusable widgets of the kiosk screens, one module each.

Screens import each widget from its own module, so that the Welcome screen loads none of
the widgets of the forms.
"""
