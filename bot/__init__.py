"""The Slack app: the shell around scoring/."""
