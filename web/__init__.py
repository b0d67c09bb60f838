"""The web companion: the pages that the e-mails' links and a forgotten password need (SPEC §8).

A second front end over the kiosk's services; like ``screens/``, it speaks to services only.
"""
