"""(being written)"""

ACTIONS: list = []
