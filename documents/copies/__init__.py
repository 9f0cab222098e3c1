"""Copies of documents (bản sao, Điều 25–27 Decree 30): sao y, sao lục, trích sao of an issued or received
document, numbered in their own series per year, signed by the agency, delivered and registered."""
