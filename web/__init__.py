"""The web companion (SPEC §8): the e-mails' links, sign-in, a forgotten password, the
dashboard and the change of password.

A second front end over the kiosk's services: like ``screens/``, it calls the services and
reads the domain's rules and sentences (``kiosk.domain``), never storage or mail.
"""
