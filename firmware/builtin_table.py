# The table of every built-in procedure: the core table of primitives.py,
# then each extension module's own TABLE and FUNCS, in this order. A
# module's family functions find their place through the module's BASE
# (the builtin number of its first entry), set here.
import primitives
import control
import arith
import text
import data
import system

MODULES = (control, arith, text, data, system)

TABLE = primitives.TABLE
FUNCS = primitives.FUNCS
for _m in MODULES:
    _m.BASE = len(FUNCS)
    TABLE = TABLE + ' ' + _m.TABLE
    FUNCS = FUNCS + _m.FUNCS
_m = None
