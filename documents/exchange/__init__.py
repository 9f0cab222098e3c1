"""Exchange with agencies outside the installation: edXML packages and status messages (QCVN 102:2016)
over the national axis or an eoffice exchange node (ARCHITECTURE.md, domain-exchange.md)."""
