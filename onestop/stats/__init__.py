"""One-stop statistics: the counts, the list behind each number, the exports and the register (form 07)."""
