"""Backup and restore of the installation (Phụ lục VI III.5g, IV.1e): the database and the files together in
one archive (``services``, ``archive``), its restore (``restore``), the admin's page (``views``).
See docs/backup.md."""
