"""One module per schema revision, applied in order by ``kiosk init-db``."""
