"""One module per command of `python build.py`, each with `add_arguments` and `run`."""
