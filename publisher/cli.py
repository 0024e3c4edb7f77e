"""The ``publisher`` command line.  One module per command under ``publisher/commands``.

Commands are loaded lazily so that ``publisher parse`` does not import WeasyPrint.
Every PublisherError becomes ``publisher: error: …`` on stderr and a non-zero exit;
an unexpected exception is reported on one line too (with ``PUBLISHER_DEBUG=1`` for
the traceback), never as a bare traceback.
"""
from __future__ import annotations

import importlib
import os
import sys

import click

from .errors import PublisherError

COMMANDS = {
    "parse": "publisher.commands.parse",
    "build": "publisher.commands.build",
    "anthology": "publisher.commands.anthology",
    "validate": "publisher.commands.validate",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        module = COMMANDS.get(name)
        if module is None:
            return None
        return importlib.import_module(module).command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="publisher")
def cli():
    """Turn the raw text of a Chinese periodical issue into EPUB 3 and print-ready PDF."""


def main(argv=None):
    from .procs import terminate_like_interrupt

    terminate_like_interrupt()  # SIGTERM unwinds like Ctrl-C: workers ended, temp files removed
    try:
        rv = cli.main(args=argv, prog_name="publisher", standalone_mode=False)
    except PublisherError as e:
        click.echo(f"publisher: error: {e.message}", err=True)
        sys.exit(e.code)
    except click.exceptions.Abort as e:
        click.echo("publisher: interrupted", err=True)
        sys.exit(getattr(e.__context__, "exit_code", 130))
    except KeyboardInterrupt as e:
        click.echo("publisher: interrupted", err=True)
        sys.exit(getattr(e, "exit_code", 130))
    except click.ClickException as e:
        e.show()
        sys.exit(2 if isinstance(e, click.UsageError) else e.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as e:  # last resort: one line, not a traceback
        if os.environ.get("PUBLISHER_DEBUG"):
            raise
        click.echo(f"publisher: internal error: {type(e).__name__}: {e}", err=True)
        sys.exit(3)
    sys.exit(rv if isinstance(rv, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
