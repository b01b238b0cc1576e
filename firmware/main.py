# Boot file: MicroPython runs main.py at start-up. repl.boot starts Mote
# with the board's profile (board.json beside the firmware, a copy of
# boards/NAME.json, or the one frozen into a Mote firmware image) and, if
# there is a saved image, loads it and runs its autorun procedure unless in
# safe mode (Ctrl-C in the first second, or the profile's safe_pin held
# low). Then the REPL; (exit) ends main.py: the MicroPython REPL.
from repl import boot, repl
it = boot()
if it:
    repl(it)
