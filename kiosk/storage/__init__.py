"""Storage: every SQL statement of the kiosk, behind a unit of work.

- ``models``: the SQLAlchemy 2 tables (a change needs a migration in ``migrations/``);
- ``engine``: the engine factory (SQLite pragmas, PostgreSQL pool);
- ``unit_of_work``: one transaction and its repositories (``repositories/``), which services
  use; the one place where an unreachable database becomes ``ServiceUnavailable``;
- ``reference_data``: the bulk writes of the CSV imports;
- ``migrate``, ``locks``, ``faults``: schema upgrades, advisory locks, telling outages apart.
"""
