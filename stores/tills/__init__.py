"""Tills and API clients (the callers of the till API), the org's enforcement settings, and the usage
log read side with its least-privilege suggestion. Split as STYLE.md asks: policies, selectors,
services, plus the pages (views, forms) and the /api/v1/ endpoints (api)."""
