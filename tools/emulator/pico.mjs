#!/usr/bin/env node
// An emulated Raspberry Pi Pico (RP2040) running real firmware, its USB CDC
// serial port bridged to this process's stdin/stdout as raw bytes.
//
//   node pico.mjs --bootrom ROM.bin --image FIRMWARE.uf2|.bin --flash-file FS.bin
//                 [--flash-from OFFSET] [--ready-fd FD] [--stats]
//                 [--log-level error|warn|info|debug]
//
// --flash-from: the flash offset the flash file starts at (default 0xA0000,
// the filesystem's start): lower for firmware with a ROMFS partition below
// the filesystem, so that the partition is kept too.
//
// --ready-fd: a byte is written to that file descriptor (then closed) once
// the firmware has enumerated on USB, i.e. its serial port is "plugged in".
// --stats: emulation speed on stderr every 5 s and at exit.
//
// Built on rp2040js (npm, pinned in package.json).  What this file adds:
//
// * Loading: the B1 boot ROM, then the firmware image (UF2 blocks, or a raw
//   .bin placed at the start of flash) on every start, then the filesystem
//   region from --flash-file.
// * Flash writes: rp2040js's SSI flash controller is a stub, so the ROM's
//   flash_range_erase/flash_range_program do nothing.  We patch those ROM
//   entry points with BKPT instructions and perform the operation on the
//   emulator's flash array ourselves, writing the filesystem region through
//   to --flash-file at once (the file survives restarts, even a SIGKILL).
//   The other ROM flash helpers the SDK calls around them (connect, exit
//   XIP, flush cache, enter XIP) only poke the stub, so they return at once.
//   Erase and program take the emulated time a W25Q16JV typically takes.
// * Serial: the package's USB CDC host model enumerates the device and sets
//   DTR/RTS, so MicroPython sees a connected terminal.  Input is queued here
//   and fed into the host's 512-byte transmit FIFO only as it has room (the
//   FIFO silently drops bytes when full); when the queue grows, stdin is
//   paused, so a fast writer is slowed to the firmware's pace.  Output that
//   stdout cannot take stops the emulation until it can.
// * USB host behaviour the package lacks (see nakEmptyReads and
//   addStartOfFrame): without it the board never sleeps and spends two
//   thirds of its cycles in USB interrupts (so its ticks_ms timings come out
//   three times too slow), and what it printed before the host connected
//   (the banner) is never sent.
// * Pins: nothing is wired to them, so a pin whose pad has its pull-up (or
//   pull-down) on reads 1 (or 0), as on a real board; rp2040js alone reads
//   0 from every input, which held Mote's safe pin "pressed" at each boot.
// * A run loop with less overhead than rp2040js's Simulator, in which
//   emulated time jumps through the board's sleeps but never ahead of the
//   wall clock (see runSlice).
//
// Exits on stdin EOF, SIGTERM or SIGINT (status 0), and with status 3 when
// the firmware resets the chip (machine.reset(), or its watchdog expires):
// rp2040js cannot reset its peripherals, so whoever runs this starts it
// again, as the chip would restart.  With a terminal on stdin (run by hand),
// the terminal is raw and Ctrl-] quits.

import fs from 'node:fs';
import path from 'node:path';
import { GPIOPinState, RP2040, USBCDC } from 'rp2040js';

const FLASH_BASE = 0x10000000;
const FLASH_SIZE = 2 * 1024 * 1024;         // the Pico's W25Q16: 2 MiB
// MicroPython's RPI_PICO filesystem: littlefs, flash offset 0xA0000, 1408 KiB.
const FS_OFFSET = 0xa0000;
const FS_SIZE = 1408 * 1024;
const SECTOR = 4096;

const UF2_MAGIC_START0 = 0x0a324655;
const UF2_MAGIC_START1 = 0x9e5d5157;
const UF2_MAGIC_END = 0x0ab16f30;
const UF2_FLAG_NOT_MAIN_FLASH = 0x1;
const UF2_FLAG_FAMILY_ID = 0x2000;
const RP2040_FAMILY_ID = 0xe48bff56;

const CLOCK_HZ = 125e6;                     // rp2040js charges cycles at 125 MHz
const NANOS_PER_CYCLE = 1e9 / CLOCK_HZ;

// Run loop tuning.  Instructions run in batches with no I/O in between;
// the loop returns to node's event loop after SLICE_MS of wall time so that
// stdin, signals and stdout get served.
const BATCH = 20000;
const SLICE_MS = 10;
const INPUT_HIGH_WATER = 64 * 1024;         // pause stdin above this many queued bytes
const QUIT_KEY = 0x1d;                      // Ctrl-], only when stdin is a terminal
const RESET_STATUS = 3;                     // exit status: the firmware reset the chip
const WATCHDOG = 0x40058000;

const BKPT = 0xbe00;                        // BKPT #imm8
const BX_LR = 0x4770;
// W25Q16JV datasheet, typical: sector erase 45 ms, page (256 B) program 0.4 ms.
const ERASE_NANOS_PER_SECTOR = 45e6;
const PROGRAM_NANOS_PER_PAGE = 0.4e6;

function fail(message) {
  process.stderr.write(`pico: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { stats: false, logLevel: 'error', flashFrom: FS_OFFSET };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.split(/=(.*)/s, 2);
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) fail(`${name} needs a value`);
      return argv[++i];
    };
    switch (name) {
      case '--bootrom': options.bootrom = value(); break;
      case '--image': options.image = value(); break;
      case '--flash-file': options.flashFile = value(); break;
      case '--flash-from':
        options.flashFrom = Number(value());
        if (!Number.isInteger(options.flashFrom) || options.flashFrom % SECTOR ||
            options.flashFrom <= 0 || options.flashFrom > FS_OFFSET) fail('bad --flash-from');
        break;
      case '--log-level': options.logLevel = value(); break;
      case '--ready-fd':
        options.readyFd = Number(value());
        if (!Number.isInteger(options.readyFd) || options.readyFd < 0) fail('bad --ready-fd');
        break;
      case '--stats': options.stats = true; break;
      case '-h': case '--help':
        process.stdout.write('usage: pico.mjs --bootrom ROM --image FIRMWARE.uf2|.bin ' +
                             '--flash-file FS.bin [--flash-from OFFSET] [--ready-fd FD] [--stats] ' +
                             '[--log-level LEVEL]\n');
        process.exit(0);
        break;
      default: fail(`unknown argument: ${arg}`);
    }
  }
  for (const [key, flag] of [['bootrom', '--bootrom'], ['image', '--image'],
                             ['flashFile', '--flash-file']]) {
    if (!options[key]) fail(`${flag} is required`);
  }
  return options;
}

function readFile(file, what) {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    fail(`cannot read ${what} ${file}: ${e.message}`);
  }
}

// rp2040js's default logger writes debug and info to stdout (the serial
// stream) and throws on errors, which would leave the core half-way through
// an instruction: log to stderr instead and never throw.
function stderrLogger(levelName) {
  const levels = ['debug', 'info', 'warn', 'error'];
  const threshold = levels.indexOf(levelName);
  if (threshold < 0) fail(`bad --log-level ${levelName} (one of ${levels.join(', ')})`);
  const logger = {};
  levels.forEach((level, rank) => {
    logger[level] = rank < threshold ? () => {} :
      (component, message) => process.stderr.write(`pico: [${component}] ${message}\n`);
  });
  return logger;
}

// Returns [flashOffset, bytes] pieces of the image.
function imagePieces(data, file) {
  if (!file.toLowerCase().endsWith('.uf2')) {
    return [[0, data]];
  }
  if (data.length === 0 || data.length % 512 !== 0) fail(`${file}: not a UF2 file (size)`);
  const pieces = [];
  for (let offset = 0; offset < data.length; offset += 512) {
    const block = data.subarray(offset, offset + 512);
    if (block.readUInt32LE(0) !== UF2_MAGIC_START0 || block.readUInt32LE(4) !== UF2_MAGIC_START1 ||
        block.readUInt32LE(508) !== UF2_MAGIC_END) {
      fail(`${file}: bad UF2 block at byte ${offset}`);
    }
    const flags = block.readUInt32LE(8);
    const target = block.readUInt32LE(12);
    const size = block.readUInt32LE(16);
    if (flags & UF2_FLAG_NOT_MAIN_FLASH) continue;
    // With the family-ID flag, word 28 is the family: a combined UF2 may
    // hold images for other chips (RP2350), which an RP2040 ignores.
    if ((flags & UF2_FLAG_FAMILY_ID) && block.readUInt32LE(28) !== RP2040_FAMILY_ID) continue;
    if (size > 476 || target < FLASH_BASE || target + size > FLASH_BASE + FLASH_SIZE) {
      fail(`${file}: UF2 block at byte ${offset} does not fit the RP2040's flash`);
    }
    pieces.push([target - FLASH_BASE, block.subarray(32, 32 + size)]);
  }
  if (pieces.length === 0) fail(`${file}: no RP2040 blocks in this UF2`);
  return pieces;
}

function loadImage(mcu, file, limit) {
  const data = readFile(file, 'firmware image');
  for (const [offset, bytes] of imagePieces(data, file)) {
    if (offset + bytes.length > limit) {
      fail(`${file}: the image reaches flash offset 0x${(offset + bytes.length).toString(16)}, ` +
           `past the flash file's start at 0x${limit.toString(16)}`);
    }
    mcu.flash.set(bytes, offset);
  }
}

// The backing file of the flash from `from` to the filesystem's end: loaded
// at start (a missing file is erased flash), then kept complete on disk so
// every write can go straight to its offset.
class FlashFile {
  constructor(mcu, file, from) {
    this.flash = mcu.flash;
    this.from = from;
    this.size = FS_OFFSET + FS_SIZE - from;
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    const region = this.flash.subarray(from, from + this.size);
    const size = fs.fstatSync(this.fd).size;
    if (size > 0) fs.readSync(this.fd, region, 0, Math.min(size, this.size), 0);
    if (size < this.size) {
      // A new or short file: extend it with erased flash.
      fs.writeSync(this.fd, region, size, this.size - size, size);
    }
  }

  // Flash offsets [start, end) changed: copy what lies in the region to disk.
  written(start, end) {
    const from = Math.max(start, this.from);
    const to = Math.min(end, this.from + this.size);
    if (from < to && this.fd !== null) {
      fs.writeSync(this.fd, this.flash, from, to - from, from - this.from);
    }
  }

  close() {
    if (this.fd !== null) {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }
}

// The boot ROM's function table: a halfword pointer at 0x14 to pairs of
// (two-letter code, halfword function address), ending with code 0.
function romFunction(romBytes, code) {
  const wanted = code.charCodeAt(0) | (code.charCodeAt(1) << 8);
  for (let entry = romBytes.readUInt16LE(0x14); ; entry += 4) {
    const found = romBytes.readUInt16LE(entry);
    if (found === 0) fail(`boot ROM has no function '${code}'`);
    if (found === wanted) return romBytes.readUInt16LE(entry + 2) & ~1;
  }
}

function setRomHalfword(mcu, address, value) {
  new DataView(mcu.bootrom.buffer).setUint16(address, value, true);
}

// Unconnected pins follow their pads' pulls (see the header).
function pullUnconnectedPins(mcu) {
  for (const pin of mcu.gpio) {
    pin.addListener((state) => {
      if (state === GPIOPinState.InputPullUp) pin.setInputValue(true);
      else if (state === GPIOPinState.InputPullDown) pin.setInputValue(false);
    });
  }
}

// Interposes on the ROM's flash routines (see the header).
function installFlashRoutines(mcu, romBytes, flashFile) {
  for (const code of ['IF', 'EX', 'FC', 'CX']) {
    setRomHalfword(mcu, romFunction(romBytes, code), BX_LR);
  }
  const handlers = new Map();
  const core = mcu.core;
  const flashOffset = (value) => value & (FLASH_SIZE - 1);

  // flash_range_erase(uint32_t addr, size_t count, uint32_t block_size, uint8_t block_cmd):
  // count bytes from addr, a multiple of the 4 KiB sector.
  handlers.set(1, () => {
    const start = flashOffset(core.registers[0]);
    const end = Math.min(start + core.registers[1], FLASH_SIZE);
    if (start % SECTOR || (end - start) % SECTOR) {
      mcu.logger.warn('flash', `unaligned erase 0x${start.toString(16)}+${end - start}`);
    }
    mcu.flash.fill(0xff, start, end);
    flashFile.written(start, end);
    mcu.clock.tick(Math.ceil((end - start) / SECTOR) * ERASE_NANOS_PER_SECTOR);
  });
  // flash_range_program(uint32_t addr, const uint8_t *data, size_t count):
  // NOR flash can only clear bits, so the result is old AND new.
  handlers.set(2, () => {
    const start = flashOffset(core.registers[0]);
    const source = core.registers[1] >>> 0;
    const end = Math.min(start + core.registers[2], FLASH_SIZE);
    for (let i = 0; i < end - start; i++) {
      mcu.flash[start + i] &= mcu.readUint8(source + i);
    }
    flashFile.written(start, end);
    mcu.clock.tick(Math.ceil((end - start) / 256) * PROGRAM_NANOS_PER_PAGE);
  });

  setRomHalfword(mcu, romFunction(romBytes, 'RE'), BKPT | 1);
  setRomHalfword(mcu, romFunction(romBytes, 'RP'), BKPT | 2);
  mcu.onBreak = (imm8) => {
    const handler = handlers.get(imm8);
    if (!handler) {
      mcu.logger.error('core', `breakpoint ${imm8} at 0x${(core.PC - 2).toString(16)}`);
      return;
    }
    handler();
    core.BXWritePC(core.LR);            // return to the caller
  };
}

// The CDC host model answers every OUT transfer the device offers at once,
// with an empty packet when it has nothing to send; the device takes the
// interrupt and offers the next one 10 us later, so an idle board spends
// most of its cycles on that (and never sleeps).  A real host NAKs in
// hardware instead.  So: hold the device's offers while there is no input
// and answer them once there is.  Returns the function that does so.
function nakEmptyReads(mcu, cdc) {
  const usb = mcu.usbCtrl;
  const answer = usb.onEndpointRead;      // the CDC model's handler
  // The size of the OUT buffer the device offers, or null.  One at most:
  // rp2040js completes only single-buffered OUT transfers, and an offer made
  // again replaces the last.
  let offered = null;
  usb.onEndpointRead = (endpoint, size) => {
    if (endpoint === cdc.outEndpoint && cdc.txFIFO.empty) {
      offered = size;
      return;
    }
    answer.call(usb, endpoint, size);
  };
  return () => {
    if (offered !== null && !cdc.txFIFO.empty) {
      const size = offered;
      offered = null;
      answer.call(usb, cdc.outEndpoint, size);
    }
  };
}

// A USB host sends a start-of-frame packet every millisecond; rp2040js's
// device mode has none.  TinyUSB needs them: MicroPython flushes what it
// printed before the host connected (the banner) 16 frames after DTR, and
// TinyUSB's RP2040 errata-15 workaround times bulk IN transfers from the
// last SOF.  So while the firmware enables the DEV_SOF interrupt, raise it
// on every millisecond of emulated time; reading SOF_RD clears it, as on
// the chip.  (Running the frames only while enabled keeps an idle board
// from waking up every millisecond.)
function addStartOfFrame(mcu) {
  const usb = mcu.usbCtrl;
  const clock = mcu.clock;
  const SOF_RD = 0x48;
  const INTR_DEV_SOF = 1 << 17;
  const FRAME_NANOS = 1e6;
  let framing = false;
  const frame = clock.createAlarm(() => {
    usb.sofFrameNumber = Math.round(clock.nanos / FRAME_NANOS) & 0x7ff;
    framing = (usb.intEnable & INTR_DEV_SOF) !== 0;
    if (framing) {
      usb.intRaw |= INTR_DEV_SOF;
      usb.checkInterrupts();
      frame.schedule(FRAME_NANOS);
    }
  });
  const writeRegister = usb.writeUint32;
  usb.writeUint32 = function (offset, value) {
    writeRegister.call(this, offset, value);
    if (!framing && (usb.intEnable & INTR_DEV_SOF)) {
      framing = true;
      frame.schedule(FRAME_NANOS - (clock.nanos % FRAME_NANOS));
    }
  };
  const readRegister = usb.readUint32;
  usb.readUint32 = function (offset) {
    if (offset === SOF_RD && (usb.intRaw & INTR_DEV_SOF)) {
      usb.intRaw &= ~INTR_DEV_SOF;
      usb.checkInterrupts();
    }
    return readRegister.call(this, offset);
  };
}

// Loads and stores to SRAM are most of the memory traffic; rp2040js's
// writeUint32 looks the address up among the peripherals first, and its
// readUint32 tries the ROM and flash first.  Take SRAM first.
function addSramFastPaths(mcu) {
  const { sram, sramView } = mcu;
  const RAM_BASE = 0x20000000;
  const lastWord = sram.length - 4;
  const readWord = mcu.readUint32;
  const writeWord = mcu.writeUint32;
  mcu.readUint32 = function (address) {
    const offset = address - RAM_BASE;
    if (offset >= 0 && offset <= lastWord && (offset & 3) === 0) {
      return sramView.getUint32(offset, true);
    }
    return readWord.call(this, address);
  };
  mcu.writeUint32 = function (address, value) {
    const offset = address - RAM_BASE;
    if (offset >= 0 && offset <= lastWord && (offset & 3) === 0) {
      sramView.setUint32(offset, value, true);
      return;
    }
    writeWord.call(this, address, value);
  };
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const romBytes = readFile(options.bootrom, 'boot ROM');
  if (romBytes.length !== 16384) fail(`${options.bootrom}: a boot ROM is 16384 bytes`);

  const logger = stderrLogger(options.logLevel);
  // A few parts of rp2040js warn through console.* directly (e.g. reads of
  // the inter-core FIFO, which it does not emulate, whenever MicroPython
  // resets core 1): keep those off stdout and under --log-level too.
  const text = (args) => args.map(String).join(' ');
  console.log = console.info = console.debug = (...args) => logger.info('rp2040js', text(args));
  console.warn = (...args) => logger.warn('rp2040js', text(args));
  console.error = (...args) => logger.error('rp2040js', text(args));
  const mcu = new RP2040();
  const clock = mcu.clock;
  mcu.logger = logger;
  // loadBootrom resets the chip, erasing flash: it comes first.
  mcu.loadBootrom(new Uint32Array(new Uint8Array(romBytes).buffer));
  loadImage(mcu, options.image, options.flashFrom);
  const flashFile = new FlashFile(mcu, options.flashFile, options.flashFrom);
  installFlashRoutines(mcu, romBytes, flashFile);
  // rp2040js's SSI cannot read flash in serial mode, so the ROM could not
  // check and copy the second-stage loader: start that in place instead.
  mcu.core.PC = FLASH_BASE;

  addSramFastPaths(mcu);
  addStartOfFrame(mcu);
  pullUnconnectedPins(mcu);

  const core = mcu.core;
  const cdc = new USBCDC(mcu.usbCtrl);
  let connected = false;
  cdc.onDeviceConnected = () => {
    connected = true;
    if (options.readyFd !== undefined) {
      fs.writeSync(options.readyFd, 'R');
      fs.closeSync(options.readyFd);
    }
    feedInput();                          // input that came before
  };
  const fifo = cdc.txFIFO;
  const feedHost = nakEmptyReads(mcu, cdc);

  // -- output: device to host ------------------------------------------
  let outputBlocked = false;
  cdc.onSerialData = (data) => {
    if (!process.stdout.write(Buffer.from(data))) {
      outputBlocked = true;       // stop running until the reader catches up
    }
  };
  process.stdout.on('drain', () => {
    outputBlocked = false;
    schedule();
  });
  process.stdout.on('error', () => shutdown(0));   // reader gone

  // -- input: host to device ---------------------------------------------
  const inputQueue = [];              // Buffers not yet in the CDC FIFO
  let inputQueued = 0;
  let inputHead = 0;                  // bytes of inputQueue[0] already sent
  let stdinPaused = false;
  function feedInput() {
    if (!connected) return;             // wait until the host has configured the device
    while (inputQueue.length && !fifo.full) {
      const chunk = inputQueue[0];
      fifo.push(chunk[inputHead++]);
      inputQueued--;
      if (inputHead === chunk.length) {
        inputQueue.shift();
        inputHead = 0;
      }
    }
    feedHost();
    if (stdinPaused && inputQueued < INPUT_HIGH_WATER / 2) {
      stdinPaused = false;
      process.stdin.resume();
    }
  }
  const interactive = process.stdin.isTTY;
  if (interactive) process.stdin.setRawMode(true);
  process.stdin.on('data', (chunk) => {
    if (interactive && chunk.includes(QUIT_KEY)) shutdown(0);
    inputQueue.push(chunk);
    inputQueued += chunk.length;
    if (inputQueued > INPUT_HIGH_WATER && !stdinPaused) {
      stdinPaused = true;
      process.stdin.pause();
    }
    feedInput();
    schedule();
  });
  process.stdin.on('end', () => shutdown(0));

  // -- run loop -------------------------------------------------------------
  // rp2040js's Simulator runs 1M steps per setTimeout(0).  Here instructions
  // run in batches with no I/O in between, and the loop yields to node's
  // event loop every SLICE_MS of wall-clock time.  While the core sleeps
  // (WFI/WFE), emulated time jumps to the next alarm, but never past
  // wall-clock time: if nothing is due before that (or no alarm is set at
  // all), emulated time catches up with wall-clock time and we yield until
  // then.  So time.sleep() on the board takes real time as on a real Pico,
  // an idle board costs no CPU, and a busy one runs as fast as it can (its
  // ticks_ms then falls behind the wall clock, to catch up when idle).
  const startWall = performance.now();
  let immediate = null;               // runSlice due at once
  let timeout = null;                 // runSlice due after a sleep
  let running = true;
  let lastStats = startWall;

  function schedule(delayMs = 0) {
    if (!running || outputBlocked || immediate !== null) return;
    if (delayMs > 0) {
      if (timeout === null) timeout = setTimeout(runSlice, delayMs);
      return;
    }
    cancelScheduled();
    immediate = setImmediate(runSlice);
  }

  function cancelScheduled() {
    clearImmediate(immediate);
    clearTimeout(timeout);
    immediate = timeout = null;
  }

  function runSlice() {
    immediate = timeout = null;
    const sliceEnd = performance.now() + SLICE_MS;
    let sleepMs = 0;
    slice: for (;;) {
      for (let i = 0; i < BATCH; i++) {
        if (core.waiting) {
          // Asleep until an interrupt: let time pass up to the next alarm,
          // but not beyond wall-clock time.
          const toAlarm = clock.nextAlarm ? clock.nanosToNextAlarm : Infinity;
          const behind = (performance.now() - startWall) * 1e6 - clock.nanos;
          if (toAlarm <= behind) {
            clock.tick(toAlarm);
            continue;
          }
          if (behind > 0) clock.tick(behind);
          // Nothing is due before wall-clock time moves on (or input comes).
          sleepMs = Math.max(1, Math.min(SLICE_MS, (toAlarm - Math.max(behind, 0)) / 1e6));
          break slice;
        }
        clock.tick(core.executeInstruction() * NANOS_PER_CYCLE);
      }
      feedInput();
      if (outputBlocked || performance.now() >= sliceEnd) break;
    }
    feedInput();
    if (options.stats) maybeStats();
    if (outputBlocked) return;          // the 'drain' handler reschedules
    schedule(sleepMs);
  }

  function statsLine() {
    const wallMs = performance.now() - startWall;
    const { user, system } = process.cpuUsage();
    const cpuMs = (user + system) / 1000;
    const emulatedMs = clock.nanos / 1e6;
    return `pico: ${emulatedMs.toFixed(0)} ms emulated in ${(wallMs / 1000).toFixed(1)} s ` +
           `(${(emulatedMs / wallMs * 1000).toFixed(0)} emulated ms per s); ` +
           `${(core.cycles / 1e6).toFixed(0)} M cycles executed in ${(cpuMs / 1000).toFixed(1)} s CPU ` +
           `(${(core.cycles / cpuMs / 1000).toFixed(1)} M cycles per CPU s)\n`;
  }

  function maybeStats() {
    const now = performance.now();
    if (now - lastStats >= 5000) {
      lastStats = now;
      process.stderr.write(statsLine());
    }
  }

  function shutdown(code) {
    if (!running) return;
    running = false;
    cancelScheduled();
    try {
      flashFile.close();
    } catch (e) {
      process.stderr.write(`pico: cannot save ${options.flashFile}: ${e.message}\n`);
      code = 1;
    }
    if (options.stats) process.stderr.write(statsLine());
    if (interactive) process.stdin.setRawMode(false);
    process.exit(code);
  }

  mcu.findPeripheral(WATCHDOG).onWatchdogTrigger = () => shutdown(RESET_STATUS);
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGHUP', () => shutdown(0));
  schedule();
}

main();
