"""Views of the procedures app: pages (sessions.py, stock.py) and the JSON
endpoints the session editor saves to (api.py)."""
