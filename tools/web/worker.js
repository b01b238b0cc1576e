// Mote in a Web Worker: MicroPython's WebAssembly port with Mote's firmware
// files (files.json, made by `make web`) in its in-memory filesystem, so a
// long evaluation never freezes the page. Messages in: init {image, shared},
// eval {src}, idle, adc {pin, value}. Messages out: ready, out {text},
// pin {pin, value}, done {ok, stats, image, ms, timers}, idle {timers},
// fatal {text}. While timers are set (every-ms, on-pin-change) the idle
// page sends `idle` every 30 ms, which runs the thunks that came due. The port cannot be interrupted
// from outside while it runs: the page's Stop ends this worker and starts
// another from the image sent after the last form that succeeded.
import { loadMicroPython } from './micropython.mjs';

let mp = null;
let wb = null;              // the webboot module (tools/web/webboot.py)
let adcs = null;            // Int32Array over the page's SharedArrayBuffer (the sliders)
const adcLast = {};         // the sliders' last values, when there is no shared memory
const post = (type, data) => postMessage(Object.assign({ type }, data || {}));

function writeFiles(files) {
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split('/').slice(1, -1);
    let dir = '';
    for (const p of parts) {
      dir += '/' + p;
      try { mp.FS.mkdir(dir); } catch (e) { /* exists */ }
    }
    mp.FS.writeFile(path, text);
  }
}

function stats() {
  const [pairs, arenaUsed, arena, heapUsed] = wb.stats().split(' ').map(Number);
  return { pairs, arenaUsed, arena, heapUsed };
}

function image() {
  wb.save();
  return mp.FS.readFile('/mote.img');
}

async function init(msg) {
  const t0 = performance.now();
  adcs = msg.shared ? new Int32Array(msg.shared) : null;
  mp = await loadMicroPython({
    url: 'micropython.wasm',
    heapsize: 2 * 1024 * 1024,
    linebuffer: false,
    stdout: (b) => post('out', { text: new TextDecoder().decode(b) }),
    stderr: (b) => post('out', { text: new TextDecoder().decode(b) }),
  });
  const files = await (await fetch('files.json')).json();
  writeFiles(files);
  mp.registerJsModule('webboard', {
    out: (text) => post('out', { text }),
    pin: (pin, value) => post('pin', { pin, value }),
    adc: (pin) => (adcs ? Atomics.load(adcs, pin) : (adcLast[pin] || 0)),
  });
  mp.runPython('import sys\nsys.path.insert(0, "/web")');
  wb = mp.pyimport('webboot');
  if (msg.image) {
    mp.FS.writeFile('/mote.img', msg.image);
    wb.restore();
  }
  post('ready', { stats: stats(), ms: Math.round(performance.now() - t0) });
}

function evaluate(src) {
  const t0 = performance.now();
  const ok = wb.run(src);
  const ms = performance.now() - t0;
  post('done', { ok, ms, stats: stats(), image: ok ? image() : null, timers: wb.idle() });
}

onmessage = async (e) => {
  const msg = e.data;
  try {
    if (msg.type === 'init') await init(msg);
    else if (msg.type === 'eval') evaluate(msg.src);
    else if (msg.type === 'adc') adcLast[msg.pin] = msg.value;
    else if (msg.type === 'idle' && mp) post('idle', { timers: wb.idle() });
  } catch (err) {
    post('fatal', { text: String(err) });
  }
};
