"""``alortui bench``: the whole pipeline measured, from the exchange's socket to the terminal.

The simulated exchange runs in the benchmark's process and sends a scripted feed; the real app
runs in a child process attached to a pseudo-terminal of a given size; the benchmark reads what
the app writes to the terminal and finds the values it sent there. See ``README.md``,
"Performance", for what each figure means.
"""
