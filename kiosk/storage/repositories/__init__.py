"""Repositories: every SQL statement of the services, one class per table family.

A unit of work (:mod:`kiosk.storage.unit_of_work`) hands them out on its own transaction as
``uow.accounts``, ``uow.codes``, ``uow.sessions``, ``uow.throttles``, ``uow.outbox``,
``uow.subscribers``, ``uow.communes``, ``uow.drafts``, ``uow.events``, ``uow.heartbeats``,
``uow.status`` (the operators' read-only figures) and ``uow.reference_data`` (the imports'
bulk writes). They take and return plain values or the mapped rows of
:mod:`kiosk.storage.models`; they never commit (the unit of work does).
"""
