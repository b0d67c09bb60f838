"""Alembic migrations of the kiosk schema, inside the package so that a wheel carries them."""
