"""The command line's commands, one module per family: ``run`` (the kiosk), ``web`` (the web
companion), ``data`` (database, imports, mailer, status), ``tools`` (mail, hash-pin).

``kiosk.__main__`` parses the arguments and calls them; each imports its heavy layers
(Textual, SQLAlchemy, Starlette) only when it runs.
"""
