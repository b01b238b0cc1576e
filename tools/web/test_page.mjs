// The web page in headless Chromium (driven by playwright-core), for
// host_tests/test_web.py: node test_page.mjs URL SCREENSHOT prints one JSON
// object of what it saw.
import { chromium } from 'playwright-core';

const [url, shot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.MOTE_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const seen = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const output = () => page.$eval('#output', (el) => el.textContent);
  const idle = () => page.waitForFunction(() => document.body.dataset.busy === '0', null, { timeout: 120000 });
  async function enter(text) {
    const before = (await output()).length;
    for (const line of text.split('\n')) {
      await page.type('#input', line);
      await page.press('#input', 'Enter');
    }
    await page.waitForFunction(() => document.body.dataset.busy === '1' || true);
    await idle();
    return (await output()).slice(before);
  }

  let t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 120000 });
  await idle();
  seen.loadMs = Date.now() - t0;
  seen.crossOriginIsolated = await page.evaluate(() => self.crossOriginIsolated);
  seen.prompt = await page.$eval('#prompt', (el) => el.textContent);
  seen.sum = await enter('(+ 1 2)');
  seen.multiline = await enter('(list 1\n2)');
  seen.define = await enter('(define kept 42)');

  // Tab completion from the console's names
  await page.type('#input', '(string-app');
  await page.press('#input', 'Tab');
  seen.completed = await page.$eval('#input', (el) => el.value);
  await page.fill('#input', '');

  // the parenthesis matching the one before the cursor is highlighted
  await page.type('#input', '(car (list 1 2))');
  seen.matched = await page.$$eval('#mirror .match', (els) => els.map((e) => e.textContent).join(''));
  await page.press('#input', 'ArrowLeft');
  seen.matchedInner = await page.evaluate(() => {
    const m = document.querySelectorAll('#mirror .match');
    const text = document.getElementById('mirror').textContent;
    return [m.length, text.indexOf('(list')];
  });
  await page.fill('#input', '');
  // history: Up brings back the last form entered
  await page.press('#input', 'ArrowUp');
  seen.history = await page.$eval('#input', (el) => el.value);
  await page.fill('#input', '');

  // the blink example: the LED toggles while it runs
  await page.selectOption('#examples', 'blink');
  await page.click('#run');
  await page.waitForFunction(() => Number(document.getElementById('led').dataset.toggles || 0) >= 3 &&
                             document.getElementById('led').classList.contains('on'),
                             null, { timeout: 60000 });
  seen.togglesWhileRunning = await page.$eval('#led', (el) => Number(el.dataset.toggles));
  seen.busyWhileBlinking = await page.evaluate(() => document.body.dataset.busy);
  seen.pin25High = await page.$eval('.pin[data-pin="25"]', (el) => el.classList.contains('high'));
  await page.screenshot({ path: shot });
  await idle();
  seen.togglesAfter = await page.$eval('#led', (el) => Number(el.dataset.toggles));

  // the other examples, each through Run
  seen.examples = {};
  for (const name of ['fib', 'macro', 'hash-tables', 'strings', 'guard']) {
    const before = (await output()).length;
    await page.selectOption('#examples', name);
    await page.click('#run');
    await page.waitForTimeout(50);
    await idle();
    seen.examples[name] = (await output()).slice(before);
  }
  seen.menu = await page.$$eval('#examples option', (os) => os.map((o) => o.value));

  // the slider is (analogread 26); every-ms thunks run while the page is idle
  seen.adcDefault = await enter('(analogread 26)');
  await page.$eval('#adc26', (el) => { el.value = '1234'; el.dispatchEvent(new Event('input')); });
  seen.adcMoved = await enter('(analogread 26)');
  await enter('(define ticks 0) (every-ms 100 (lambda () (set! ticks (+ ticks 1))))');
  await page.waitForTimeout(1500);
  seen.ticks = await enter('ticks');
  await enter('(stop-timers)');

  // fib 20, timed by the browser
  await enter('(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))');
  seen.fib = await enter('(time (fib 20))');

  // Stop interrupts an endless loop; the prompt and the definitions come back
  await page.type('#input', '(let loop () (loop))');
  await page.press('#input', 'Enter');
  await page.waitForTimeout(1500);
  seen.busyInLoop = await page.evaluate(() => document.body.dataset.busy);
  await page.click('#stop');
  await page.waitForFunction(() => document.body.dataset.busy === '0', null, { timeout: 120000 });
  seen.afterStop = await enter('kept');

  // a shared link shows its program
  const program = '(display "shared program")';
  await page.evaluate((p) => { document.getElementById('editor').value = p; }, program);
  await page.click('#share');
  const link = page.url();
  const second = await browser.newPage();
  await second.goto(link);
  seen.sharedEditor = await second.$eval('#editor', (el) => el.value);
  seen.sharedProgram = program;
  seen.memory = await page.$eval('#memory', (el) => el.textContent);
  seen.errors = errors;
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
