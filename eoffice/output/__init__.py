"""The output layer: what the apps write for people to read or print (see docs/ARCHITECTURE.md).

``excel``: the one Excel writer; every workbook the system hands out is written through it."""
