"""Conventions shared by the ``watermark``/``detect_watermark`` and ``rag_audit`` CLIs.

* A command body raises the package's own exception (``WatermarkError``, ``AuditError``);
  ``errors_to_exit(ErrorType)`` turns it into ``Error: <one line>`` on stderr and exit code 2.
  Every other exception is a bug and keeps its traceback.
* ``-h`` and ``--help`` both show help (``CONTEXT_SETTINGS``).
* ``run(command, prog_name)`` stops quietly when stdout is closed early (``… | head``).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable

import click

from .terminal import safe_text

EXIT_USAGE = 2  # usage or input error: nothing was decided
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


class CLIError(click.ClickException):
    """A library error on its way out: printed as ``Error: <one line>``, exit code 2."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str):
        super().__init__(safe_text(" ".join(str(message).split()) or "unknown error"))


def errors_to_exit(*error_types: type[BaseException]) -> Callable:
    """Decorator: the given library errors become CLIError; anything else stays a bug."""

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except error_types as exc:
                raise CLIError(str(exc)) from None

        return wrapper

    return decorate


def run(command: click.Command, prog_name: str, args=None) -> None:
    """Run a click command as a console script; a closed stdout ends it quietly (exit 2)."""
    try:
        command.main(args=args, prog_name=prog_name)
    except BrokenPipeError:  # e.g. `detect_watermark dir | head`: stop without a traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_USAGE)
