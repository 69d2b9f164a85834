"""Campaign Companion: follow a consumer campaign from the desktop."""

__version__ = "0.1.0"
