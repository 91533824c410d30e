"""Enforcement of access groups on the till API: who is calling (tills with HTTP Basic, API clients with
OAuth2 bearer tokens), what their group allows, the DRF glue, the gateway check and the usage log.

The hot path is one indexed query per request (the caller's row joined with its store, org and
effective group), so every change made in any process is seen by the very next request, anywhere.
Nothing in a per-process cache can outlive a change: the only in-process caches are keyed by values
read from that query (the stored secret hash, the group's last-change time).
"""
