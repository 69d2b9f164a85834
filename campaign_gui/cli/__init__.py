"""The command line. With no command it starts the window; the commands need no display.

``start``: ``main``, which reads the command line and runs the window or one command;
``parser``: the options and the commands' arguments; ``participant`` and ``organiser``: the
commands; ``shared``: what the commands have in common. The window's start loads only ``start``
and ``parser``: the commands' modules load when a command is given.
"""

from .start import main

__all__ = ["main"]
