"""Complaints, denunciations, petitions and citizen reception."""
