"""Transparency reports of connector maintenance agreements: data in, a static site out."""

__version__ = "0.1.0"
