# A naive Scheme in the style of Norvig's lis.py, the baseline that `mote
# bench` compares Mote with: Python objects for everything (ints, lists of
# tokens, a dict per environment, a class per procedure, a two-element
# Python list per pair), an evaluator that recurses in Python for every
# subexpression (it loops only for tail calls, so named-let loops do not
# overflow the Python stack). It runs unchanged on CPython and MicroPython
# (no f-strings, no slicing with a step). Written for Mote's benchmarks:
# the forms and builtins they use, nothing more.


class Symbol(str):
    pass


SYMBOLS = {}


def sym(name):
    s = SYMBOLS.get(name)
    if s is None:
        s = SYMBOLS[name] = Symbol(name)
    return s


QUOTE, IF, DEFINE, SET, LAMBDA, BEGIN, LET, COND, ELSE, AND, OR = [
    sym(n) for n in ('quote', 'if', 'define', 'set!', 'lambda', 'begin', 'let', 'cond',
                     'else', 'and', 'or')]
NIL = None      # the empty list


def tokenize(text):
    return text.replace('(', ' ( ').replace(')', ' ) ').replace("'", " ' ").split()


def read(tokens):
    t = tokens.pop(0)
    if t == '(':
        out = []
        while tokens[0] != ')':
            out.append(read(tokens))
        tokens.pop(0)
        return out
    if t == "'":
        return [QUOTE, read(tokens)]
    if t == '#t':
        return True
    if t == '#f':
        return False
    if t[0] == '"':
        return list(t[1:-1])        # a string: a list of characters
    try:
        return int(t)
    except ValueError:
        return sym(t)


def from_python(x):
    # a quoted datum: Python lists become chains of pairs
    if isinstance(x, list) and not (x and isinstance(x[0], str) and not isinstance(x[0], Symbol)):
        out = NIL
        for e in reversed(x):
            out = [from_python(e), out]
        return out
    return x


class Env:
    def __init__(self, names, values, outer):
        self.vars = {}
        for i in range(len(names)):
            self.vars[names[i]] = values[i]
        self.outer = outer

    def find(self, name):
        # the variables of the innermost environment that binds name
        e = self
        while name not in e.vars:
            e = e.outer
            if e is None:
                raise NameError(name)
        return e.vars


class Procedure:
    def __init__(self, params, body, env):
        self.params = params
        self.body = body
        self.env = env


def evaluate(x, env):
    while True:
        if isinstance(x, Symbol):
            return env.find(x)[x]
        if not isinstance(x, list):
            return x
        op = x[0]
        if op is QUOTE:
            return from_python(x[1])
        if op is IF:
            x = x[2] if evaluate(x[1], env) is not False else (x[3] if len(x) > 3 else None)
            continue
        if op is DEFINE:
            if isinstance(x[1], list):
                env.vars[x[1][0]] = Procedure(x[1][1:], x[2:], env)
            else:
                env.vars[x[1]] = evaluate(x[2], env)
            return None
        if op is SET:
            env.find(x[1])[x[1]] = evaluate(x[2], env)
            return None
        if op is LAMBDA:
            return Procedure(x[1], x[2:], env)
        if op is BEGIN:
            for e in x[1:-1]:
                evaluate(e, env)
            x = x[-1]
            continue
        if op is LET:
            if isinstance(x[1], Symbol):
                # named let: (let name ((v init) ...) body...)
                loop_env = Env([], [], env)
                proc = Procedure([b[0] for b in x[2]], x[3:], loop_env)
                loop_env.vars[x[1]] = proc
                args = [evaluate(b[1], env) for b in x[2]]
                env = Env(proc.params, args, loop_env)
                body = x[3:]
            else:
                env = Env([b[0] for b in x[1]], [evaluate(b[1], env) for b in x[1]], env)
                body = x[2:]
            for e in body[:-1]:
                evaluate(e, env)
            x = body[-1]
            continue
        if op is COND:
            for clause in x[1:]:
                if clause[0] is ELSE or evaluate(clause[0], env) is not False:
                    break
            else:
                return None
            for e in clause[1:-1]:
                evaluate(e, env)
            x = clause[-1]
            continue
        if op is AND or op is OR:
            v = op is AND
            for e in x[1:]:
                v = evaluate(e, env)
                if (v is False) == (op is AND):
                    return v
            return v
        f = evaluate(op, env)
        args = [evaluate(a, env) for a in x[1:]]
        if isinstance(f, Procedure):
            env = Env(f.params, args, f.env)
            for e in f.body[:-1]:
                evaluate(e, env)
            x = f.body[-1]
            continue
        return f(*args)


def length(p):
    n = 0
    while p is not NIL:
        n += 1
        p = p[1]
    return n


def reverse(p):
    out = NIL
    while p is not NIL:
        out = [p[0], out]
        p = p[1]
    return out


def vector_set(v, k, x):
    v[k] = x


def global_env():
    g = Env([], [], None)
    g.vars.update({
        sym('+'): lambda *a: sum(a), sym('-'): lambda a, b=None: -a if b is None else a - b,
        sym('*'): lambda a, b: a * b, sym('<'): lambda a, b: a < b,
        sym('>'): lambda a, b: a > b, sym('='): lambda a, b: a == b,
        sym('<='): lambda a, b: a <= b, sym('>='): lambda a, b: a >= b,
        sym('remainder'): lambda a, b: a % b if a >= 0 else -((-a) % b),
        sym('not'): lambda a: a is False, sym('eq?'): lambda a, b: a is b,
        sym('cons'): lambda a, b: [a, b], sym('car'): lambda p: p[0], sym('cdr'): lambda p: p[1],
        sym('null?'): lambda p: p is NIL, sym('length'): length, sym('reverse'): reverse,
        sym('make-vector'): lambda n, x=0: [x] * n, sym('vector-ref'): lambda v, k: v[k],
        sym('vector-set!'): vector_set, sym('vector-length'): len,
        sym('make-string'): lambda n, c=' ': [c] * n, sym('string-ref'): lambda s, k: s[k],
        sym('string-set!'): vector_set, sym('string-length'): len,
        sym('integer->char'): chr, sym('char->integer'): ord,
    })
    return g


class Lispy:
    def __init__(self):
        self.env = global_env()

    def run(self, text):
        tokens = tokenize(text)
        v = None
        while tokens:
            v = evaluate(read(tokens), self.env)
        return v
