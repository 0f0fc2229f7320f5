"""The dashboard before the first nightly run: what can be counted, and a sentence for the rest."""


def test_before_the_first_run_the_page_says_so(client, account_manager, own_account):
    client.force_login(account_manager)
    html = client.get("/dashboard/").text
    assert 'data-testid="dashboard-no-run"' in html
    assert 'data-testid="figure-accounts" data-count="1"' in html
