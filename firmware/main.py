# Boot file: MicroPython runs main.py at start-up. image.boot starts Mote
# with the profile in board.json beside the firmware (a copy of
# boards/NAME.json), loads the image and runs its autorun procedure unless
# in safe mode (Ctrl-C in the first second, or the profile's safe_pin held
# low). Then the REPL, without image.py in RAM (save-image reloads it);
# (exit) ends main.py: the MicroPython REPL.
from image import boot
it = boot()
del boot
if it:
    import sys
    del sys.modules['image']
    from repl import repl
    repl(it)
