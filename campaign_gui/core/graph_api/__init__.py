"""The organisers' Graph API tracker: a client for page counts, and its throttle rules."""
