"""The webhook a URL names, however it is written: its files under the home are named by webhook_id."""
from __future__ import annotations

import pytest

from pipeline.notify import webhook_address, webhook_id


@pytest.mark.parametrize(("written", "address"), [
    ("HTTPS://Hooks.Example.com/x", "https://hooks.example.com/x"),
    ("https://hooks.example.com:443/x", "https://hooks.example.com/x"),
    ("https://hooks.example.com:0443/x", "https://hooks.example.com/x"),
    ("https://hooks.example.com:/x", "https://hooks.example.com/x"),  # an empty port is the default one
    ("HTTP://Hooks.Example.com:80", "http://hooks.example.com/"),  # an empty path is the "/" a client sends
    ("https://Hooks.Example.com?token=T", "https://hooks.example.com/?token=T"),
    ("https://[::1]:443/a?b#c", "https://[::1]/a?b#c"),
    ("https://[::1]:8443/a", "https://[::1]:8443/a"),
    ("https://Bot:Pw-S3cret@Hooks.Example.com:443/Services/T0/B0/S3cret?Token=X",
     "https://Bot:Pw-S3cret@hooks.example.com/Services/T0/B0/S3cret?Token=X"),
])
def test_one_webhook_written_several_ways_has_one_address_and_one_id(written, address):
    assert webhook_address(written) == address and webhook_id(written) == webhook_id(address)


@pytest.mark.parametrize(("one", "other"), [
    ("https://hooks.example.com/x", "https://hooks.example.com/x/"),  # a trailing slash can be another resource
    ("https://hooks.example.com/x", "https://hooks.example.com/X"),
    ("https://hooks.example.com/x", "http://hooks.example.com/x"),
    ("http://hooks.example.com:443/x", "http://hooks.example.com/x"),  # 443 is https's default, not http's
    ("https://hooks.example.com:8443/x", "https://hooks.example.com/x"),
    ("https://bot:pw@hooks.example.com/x", "https://BOT:PW@hooks.example.com/x"),  # credentials count as written
    ("https://hooks.example.com/x?token=a", "https://hooks.example.com/x?token=A"),
])
def test_urls_that_may_name_two_webhooks_keep_two_ids(one, other):
    assert webhook_id(one) != webhook_id(other)
