"""`make fuzz`: Schemathesis against a live, freshly seeded server (see __main__.py)."""
