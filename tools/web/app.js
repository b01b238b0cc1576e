// The page: a REPL like the serial console (prompt with free pairs, history,
// multi-line input until the parentheses balance, paren matching, Tab
// completion from the console's name list, Stop and Ctrl-C), an editor
// with examples and shareable links, and the simulated board drawn beside.
// Mote itself runs in worker.js; the examples are examples/*.scm
// (examples.json, made by `make web`).
let EXAMPLES = {};

const $ = (id) => document.getElementById(id);
const output = $('output');
const input = $('input');
const mirror = $('mirror');
const editor = $('editor');
const state = {
  worker: null, busy: true, image: null, history: [], at: 0, names: [],
  timers: false, shared: null, pairs: 0, queue: [],
};

// -- output -----------------------------------------------------------------
function write(text, cls) {
  const span = document.createElement('span');
  if (cls) span.className = cls;
  span.textContent = text;
  output.appendChild(span);
  $('console').scrollTop = $('console').scrollHeight;
}

function prompt() {
  $('prompt').textContent = state.busy ? '' : state.pairs + '> ';
  document.body.dataset.busy = state.busy ? '1' : '0';
}

function showStats(s) {
  state.pairs = s.pairs;
  $('memory').textContent = 'arena: ' + s.arenaUsed + ' of ' + s.arena + ' bytes in use; MicroPython heap: ' +
    Math.round(s.heapUsed / 1024) + ' KB in use';
}

// -- the reader's view of the input (as tools/console.py's scan) ------------
function scan(text) {
  let depth = 0, instr = false, block = 0;
  const opens = [];            // positions of the open parentheses
  const pairs = {};            // position -> matching position
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (instr) {
      if (c === '\\') i++;
      else if (c === '"') instr = false;
    } else if (block) {
      if (text.startsWith('|#', i)) { block--; i++; } else if (text.startsWith('#|', i)) { block++; i++; }
    } else if (c === '"') instr = true;
    else if (c === ';') { while (i < text.length && text[i] !== '\n') i++; }
    else if (c === '#' && text[i + 1] === '|') { block = 1; i++; }
    else if (c === '#' && text[i + 1] === '\\') i += 2;
    else if (c === '(' || c === '[') { depth++; opens.push(i); }
    else if (c === ')' || c === ']') {
      depth--;
      const o = opens.pop();
      if (o !== undefined) { pairs[i] = o; pairs[o] = i; }
    }
  }
  return { depth, instr, block, pairs };
}

function balanced(text) {
  const s = scan(text);
  return s.depth <= 0 && !s.instr && !s.block;
}

// paren matching: the partner of the parenthesis before (or at) the cursor
function renderMirror() {
  const text = input.value;
  const pos = input.selectionStart;
  const { pairs } = scan(text);
  let a = -1;
  if (pos > 0 && pairs[pos - 1] !== undefined) a = pos - 1;
  else if (pairs[pos] !== undefined) a = pos;
  mirror.textContent = '';
  if (a < 0) { mirror.textContent = text + ' '; return; }
  const marks = [a, pairs[a]].sort((x, y) => x - y);
  let last = 0;
  for (const m of marks) {
    mirror.appendChild(document.createTextNode(text.slice(last, m)));
    const span = document.createElement('span');
    span.className = 'match';
    span.textContent = text[m];
    mirror.appendChild(span);
    last = m + 1;
  }
  mirror.appendChild(document.createTextNode(text.slice(last) + ' '));
}

function fit() {
  input.style.height = 'auto';
  input.style.height = input.scrollHeight + 'px';
  renderMirror();
}

// -- completion ---------------------------------------------------------------
function complete() {
  const pos = input.selectionStart;
  const before = input.value.slice(0, pos);
  const m = before.match(/[^\s()'`,"]+$/);
  if (!m) return;
  const word = m[0];
  const found = state.names.filter((n) => n.startsWith(word));
  if (!found.length) return;
  let common = found[0];
  for (const n of found) while (!n.startsWith(common)) common = common.slice(0, -1);
  if (common.length > word.length) {
    input.setRangeText(common.slice(word.length), pos, pos, 'end');
    fit();
  } else if (found.length > 1) {
    write(found.slice(0, 60).join('  ') + (found.length > 60 ? '  ...' : '') + '\n');
  }
}

// -- the worker -----------------------------------------------------------------
function startWorker() {
  state.busy = true;
  prompt();
  $('status').textContent = 'loading...';
  const w = new Worker('worker.js', { type: 'module' });
  state.worker = w;
  w.onmessage = (e) => handle(e.data);
  w.onerror = (e) => write('worker error: ' + e.message + '\n', 'err');
  w.postMessage({ type: 'init', image: state.image, shared: state.shared });
}

function handle(m) {
  if (m.type === 'out') write(m.text);
  else if (m.type === 'pin') setPin(m.pin, m.value);
  else if (m.type === 'ready') {
    showStats(m.stats);
    $('status').textContent = 'ready (started in ' + m.ms + ' ms)';
    document.body.dataset.ready = '1';
    idleDone();
  } else if (m.type === 'done') {
    showStats(m.stats);
    if (m.image) state.image = m.image;
    state.timers = m.timers;
    $('status').textContent = 'took ' + Math.round(m.ms) + ' ms (browser time)';
    idleDone();
  } else if (m.type === 'idle') {
    state.timers = m.timers;
    state.busy = false;
    next();
  } else if (m.type === 'fatal') {
    write('Error: ' + m.text + '\n', 'err');
    idleDone();
  }
}

function idleDone() {
  state.busy = false;
  prompt();
  next();
}

// forms wait their turn; while idle with timers set, their thunks run
function next() {
  if (state.busy) return;
  if (state.queue.length) {
    state.busy = true;
    prompt();
    $('status').textContent = 'running...';
    state.worker.postMessage({ type: 'eval', src: state.queue.shift() });
  } else if (state.timers) {
    setTimeout(() => {
      if (!state.busy && !state.queue.length) {
        state.busy = true;
        state.worker.postMessage({ type: 'idle' });
      }
    }, 30);
  }
}

function submit(src) {
  state.queue.push(src);
  next();
}

function stop() {
  if (!state.busy && !state.queue.length) return;
  // the port cannot be interrupted from outside while it runs: a new
  // worker, restored from the state saved after the last form that succeeded
  state.queue = [];
  state.timers = false;
  state.worker.terminate();
  write('\nInterrupted: Mote restarted, your definitions restored from the last saved state\n', 'err');
  startWorker();
}

// -- the virtual board ------------------------------------------------------------
function setPin(pin, value) {
  const el = document.querySelector('.pin[data-pin="' + pin + '"]');
  if (el) el.classList.toggle('high', !!value);
  if (pin === 25) {
    const led = $('led');
    led.classList.toggle('on', !!value);
    led.dataset.toggles = String(Number(led.dataset.toggles || 0) + 1);
  }
}

function drawBoard() {
  const pins = $('pins');
  for (let p = 0; p <= 29; p++) {
    const d = document.createElement('div');
    d.className = 'pin';
    d.dataset.pin = p;
    d.textContent = p;
    pins.appendChild(d);
  }
  if (typeof SharedArrayBuffer !== 'undefined' && self.crossOriginIsolated) {
    state.shared = new SharedArrayBuffer(4 * 32);
  }
  const slider = $('adc26');
  const setAdc = () => {
    const v = Number(slider.value);
    $('adc26v').textContent = v;
    if (state.shared) Atomics.store(new Int32Array(state.shared), 26, v);
    else if (state.worker) state.worker.postMessage({ type: 'adc', pin: 26, value: v });
  };
  slider.addEventListener('input', setAdc);
  setAdc();
}

// -- sharing -------------------------------------------------------------------
function encode(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decode(code) {
  const bin = atob(code.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

function share() {
  const url = location.origin + location.pathname + '#code=' + encode(editor.value);
  history.replaceState(null, '', url);
  if (navigator.clipboard) navigator.clipboard.writeText(url).catch(() => {});
  $('status').textContent = 'link to this program in the address bar';
}

// -- wiring ----------------------------------------------------------------------
async function setup() {
  drawBoard();
  EXAMPLES = await (await fetch('examples.json')).json();
  const menu = $('examples');
  for (const name of Object.keys(EXAMPLES)) {
    const o = document.createElement('option');
    o.value = o.textContent = name;
    menu.appendChild(o);
  }
  menu.addEventListener('change', () => { editor.value = EXAMPLES[menu.value]; });
  const m = location.hash.match(/^#code=(.*)$/);
  editor.value = m ? decode(m[1]) : EXAMPLES.blink;
  $('run').addEventListener('click', () => {
    write('; running the program\n');
    submit(editor.value);
  });
  $('share').addEventListener('click', share);
  $('stop').addEventListener('click', stop);
  editor.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.ctrlKey) { e.preventDefault(); $('run').click(); }
  });
  input.addEventListener('input', fit);
  input.addEventListener('keyup', renderMirror);
  input.addEventListener('click', renderMirror);
  input.addEventListener('keydown', (e) => {
    const v = input.value;
    if (e.key === 'c' && e.ctrlKey && input.selectionStart === input.selectionEnd) {
      e.preventDefault();
      stop();
    } else if (e.key === 'Enter' && !e.shiftKey && balanced(v) && v.trim()) {
      e.preventDefault();
      write(($('prompt').textContent || '') + v + '\n');
      state.history.push(v);
      state.at = state.history.length;
      input.value = '';
      fit();
      submit(v);
    } else if (e.key === 'Tab') {
      e.preventDefault();
      complete();
    } else if (e.key === 'ArrowUp' && !v.slice(0, input.selectionStart).includes('\n') && state.at > 0) {
      e.preventDefault();
      input.value = state.history[--state.at];
      fit();
    } else if (e.key === 'ArrowDown' && !v.slice(input.selectionEnd).includes('\n') &&
               state.at < state.history.length) {
      e.preventDefault();
      state.at++;
      input.value = state.at < state.history.length ? state.history[state.at] : '';
      fit();
    }
  });
  $('console').addEventListener('click', () => input.focus());
  fetch('names.json').then((r) => r.json()).then((n) => { state.names = n; });
  startWorker();
  input.focus();
}

setup();
