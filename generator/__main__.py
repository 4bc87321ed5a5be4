"""``python -m generator``: the ``scenario`` command, for when its script is not on the PATH.

Owns nothing but the hand-over to :func:`generator.cli.main`.
"""

from generator.cli import main

main(prog_name="scenario")
