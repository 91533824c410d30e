"""The till API (/v2/...): a small Data API and Config API that tills and API clients call."""
