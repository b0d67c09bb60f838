"""Storage: every SQL statement of the kiosk, the services' behind a unit of work (the schema
migrations work on the engine).

- ``models``: the SQLAlchemy 2 tables (a change needs a migration in ``migrations/``);
- ``engine``: the engine factory (SQLite pragmas, PostgreSQL pool);
- ``sqlite_driver``: the embedded database's driver, where a unit of work makes at most one
  trip to the connection's thread (its commit): statements that need not wait run on the loop;
  ``sqlite_adapter``, SQLAlchemy's side of it: such a statement does not leave SQLAlchemy's
  greenlet either;
- ``unit_of_work``: one transaction and its repositories (``repositories/``), which services
  use, on the unit's connection, with an ORM session made only when one needs it
  (``repositories/base``); the one place where an unreachable database becomes
  ``ServiceUnavailable``;
- ``repositories/reference_data``: the bulk writes of the CSV imports (``uow.reference_data``,
  in a bulk unit of work);
- ``migrate``, ``locks``, ``faults``: schema upgrades, advisory locks, telling outages apart.
"""
