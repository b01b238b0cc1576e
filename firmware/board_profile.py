# Board profiles: the sizes and pins of the board Mote runs on, from
# boards/NAME.json (a board's own is board.json beside the firmware) or
# frozen into a firmware image. Used once at start-up and dropped again.
from arena import LispError

DEFAULTS = {'arena_words': 8192, 'stack_words': 8192, 'symbol_bytes': 2048,
            'heap': 131072}
# What the firmware reads of a board profile: the rest (descriptions, build
# and install settings, measurements) is the host tools', and would cost a
# small board's heap 2 KB kept.
PROFILE_KEYS = ('name', 'heap', 'arena_words', 'stack_words', 'symbol_bytes', 'stress',
                'led', 'pins', 'adc', 'pwm', 'i2c', 'spi', 'uart', 'image', 'safe_pin')


def load_board(name, fz, here):
    # Board profile: boards/NAME.json; for name 'board' (or None) the
    # board's own board.json. Without the file, the profile frozen into the
    # firmware (fz, motedata.BOARD) when it is that board's (or name is
    # 'board'). Only PROFILE_KEYS are kept; sizes fall back to DEFAULTS.
    # here: the firmware's directory.
    if name is None:
        name = 'board'
    if fz and name == fz.get('name'):
        prof = dict(fz)
    else:
        prof = read_board(name, here)
        if prof is None:
            if fz and name == 'board':
                prof = dict(fz)
            elif name == 'unix':
                prof = {'name': 'unix'}
            else:
                raise LispError('unknown board: ' + name)
    kept = {}
    for k in PROFILE_KEYS:
        if k in prof:
            kept[k] = prof[k]
    for k in DEFAULTS:
        if k not in kept:
            kept[k] = DEFAULTS[k]
    return kept


def read_board(name, d):
    # NAME.json from the first of the places a profile may be (d: the
    # firmware's directory), or None.
    import json
    import os
    env = getattr(os, 'getenv', None)     # the unix port's; boards have none
    for d in ((env and env('MOTE_BOARDS_DIR')) or '', d + '/../boards', d + '/boards',
              d, '/boards', '/lib/boards'):
        if d:
            try:
                with open(d + '/' + name + '.json') as f:
                    return json.loads(f.read())     # json.load reads a byte at a time
            except OSError:
                pass
    return None
