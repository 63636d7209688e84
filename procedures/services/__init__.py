"""Every write of the procedures app: stock, sessions, points, signing."""
