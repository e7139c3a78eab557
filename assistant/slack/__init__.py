"""The Slack bot (slack-bolt): mentions, direct messages and /ask, answered in threads."""
