"""Domain: the pure rules and types that both front ends obey, one copy of each.

- ``rules``, ``passwords``, ``validation``: the input rules (names, address, contract, meter,
  the password checklist and policy) and the registration's checks built on them;
- ``codes``: one-time codes (shape, normalisation, links, digests);
- ``states``, ``errors``, ``refusals``: named states, what a service raises, and the French
  sentence of each refusal; ``catalogue``: every text a customer reads;
- ``results``: the plain data services take and return; ``clock``: the time services read.

Nothing here imports a database, a mail transport, a terminal or a browser: storage, mail,
services and both front ends import from here, never the other way.
"""
