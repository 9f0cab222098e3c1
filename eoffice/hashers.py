"""The password hasher: Argon2id with OWASP's recommended parameters instead of Django's defaults.

Django's defaults (t=2, m=100 MiB, p=8) cost 300–500 ms of both cores per login on the 2-core reference
machine (``bench/results/actions.md``) and 100 MiB for each login in flight: at 8 a.m., when a province's
civil servants sign in together, that is both the slowest action and a memory exhaustion risk. OWASP's
Password Storage Cheat Sheet recommends Argon2id with at least 19 MiB, 2 iterations and 1 lane; that is
what is used here (about 40 ms on one core, memory-hard, so a GPU guesser gains no more than against
Django's own parameters per MiB).

The algorithm name stays ``argon2``: every existing hash (Django's parameters, or PBKDF2 from before) is
still checked, and rewritten with these parameters at the person's next login (``must_update`` compares
the parameters stored in the hash).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456  # KiB: 19 MiB
    parallelism = 1
