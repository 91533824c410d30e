from privacy import selectors


def test_settings_page_shows_and_saves_for_administrators(acme, acme_admin, pages):
    client = pages(acme_admin)
    r = client.get("/privacy/settings/")
    assert r.status_code == 200 and b"Waiting period (days)" in r.content
    r = client.post("/privacy/settings/", {"deletion_enabled": "on", "waiting_period_days": "7"})
    assert r.status_code == 302
    current = selectors.settings_get(org=acme)
    assert (current.deletion_enabled, current.waiting_period_days, current.approval_required) == (True, 7, False)


def test_settings_page_refuses_changes_from_others(acme, maker, csr, pages):
    assert pages(csr).get("/privacy/settings/").status_code == 403
    assert pages(maker).get("/privacy/settings/").status_code == 200
    r = pages(maker).post("/privacy/settings/", {"deletion_enabled": "on", "waiting_period_days": "0"})
    assert r.status_code == 403
    assert selectors.settings_get(org=acme).pk is None
    r = pages(maker).post("/privacy/settings/", {"waiting_period_days": "91"})
    assert selectors.settings_get(org=acme).pk is None
