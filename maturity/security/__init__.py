"""Accounts, sessions and the browser-facing protections of the service."""
