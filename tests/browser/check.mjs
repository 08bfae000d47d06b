// check.mjs -- browser checks of the site that `akkoord-query site -o DIR`
// writes and `akkoord-query serve` serves (contract: docs/site.md), in
// headless Chromium driven by puppeteer-core, with axe-core.
//
// It owns what only a browser can tell: the pages load without a dialog,
// a script error or a console error; the scorecard matches the JSON
// overview; the filter box filters; a section's commitments carry their
// verdicts; a citation leads to its decision and back; the pages are not
// blank at desktop and phone width; axe finds nothing serious; and (with
// --hostile) no corpus text became markup, script or a javascript: link.
// It does not own the content itself (tests/cli check that from the
// corpus) nor the build: give it a DIR or a running server.
//
// usage: node check.mjs (--site DIR | --base URL) --out OUTDIR
//                       [--expect-totals FILE] [--section NAME] [--hostile]
//                       [--marker TEXT]
// Exit 0 when every check passes, 1 otherwise (2: bad usage).
// One line per check: "ok", "FAIL" or "warn" (a warning never fails).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const AXE = path.join(HERE, 'node_modules/axe-core/axe.min.js');
const KEYS = ['done', 'in_progress', 'none', 'not_checkable'];
const BADGE = '.badge.verdict';    // span.badge.verdict.v-KEY, in li.commitment
const TRY_SECTIONS = 8;            // sections tried when picking one
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true,
                deviceScaleFactor: 2 };
const TAGS = new Set(`html head meta title link style body header main footer
  nav section article h1 h2 h3 h4 p a ul ol li table thead tbody tfoot tr th
  td caption span strong em small code time details summary svg g rect text
  line circle title desc path input label form button blockquote br figure
  figcaption abbr dl dt dd div script noscript polyline output pre`.split(/\s+/));

// ---- reporting ------------------------------------------------------------

let failed = 0;
const incidents = [];   // dialogs, page errors, console errors, bad loads
let reported = 0;       // incidents[0..reported) are already in a FAIL line

function line(tag, name, text) {
  console.log(`${tag.padEnd(5)} ${name}${text ? ': ' + text : ''}`);
}

// Run one check: fn returns a detail for the ok line (a string, or an
// object whose .say is the string) or throws.  Incidents (dialogs, errors)
// that arrive while it runs fail it too, but its result still goes to the
// checks after it; only a throw makes it return undefined.
async function check(name, fn) {
  let detail, err;
  try { detail = (await fn()) ?? true; } catch (e) { err = e.message; }
  const fresh = incidents.slice(reported);
  reported = incidents.length;
  if (fresh.length)
    err = [err, ...fresh.slice(0, 10)].filter(Boolean).join('\n      ');
  if (err === undefined) line('ok', name, detail.say ?? detail);
  else { failed++; line('FAIL', name, err); }
  return detail;
}

function skip(name, why) { failed++; line('FAIL', name, `skipped: ${why}`); }
function warn(name, text) { line('warn', name, text); }
function assert(cond, msg) { if (!cond) throw new Error(msg); }

// ---- browser ----------------------------------------------------------------

let browser, opts;

async function launch() {
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  return browser.version();
}

// Chromium asks a server for /favicon.ico by itself; the site has none.
const favicon = u => /\/favicon\.ico$/.test(u || '');

// Record everything on a page that must never happen.
function guard(page) {
  const where = () => page.url();
  page.on('dialog', d => {
    incidents.push(`${d.type()} dialog "${d.message()}" on ${where()}`);
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', e => incidents.push(`page error on ${where()}: ${e.message}`));
  page.on('console', m => {
    if (m.type() === 'error' && !favicon(m.location()?.url))
      incidents.push(`console error on ${where()}: ${m.text()}`);
  });
  page.on('requestfailed', r => {
    const why = r.failure()?.errorText;
    if (why !== 'net::ERR_ABORTED') incidents.push(`failed to load ${r.url()}: ${why}`);
  });
  page.on('response', r => {
    if (r.status() >= 400 && !favicon(r.url()))
      incidents.push(`HTTP ${r.status()} for ${r.url()}`);
  });
}

async function open(url, view = DESKTOP, js = true) {
  const page = await browser.newPage();
  guard(page);
  await page.setJavaScriptEnabled(js);
  await page.setCacheEnabled(false);      // every load a full 200 from serve
  await page.setViewport(view);
  const resp = await page.goto(url, { waitUntil: 'load' });
  assert(!resp || resp.ok() || resp.status() === 0,
         `${url}: HTTP ${resp && resp.status()}`);
  return page;
}

async function withPage(url, fn, view, js) {
  const page = await open(url, view, js);
  try { return await fn(page); } finally { await page.close(); }
}

// The URL of a site path ('' is the front page).
function siteUrl(rel) {
  if (opts.base) return new URL(rel, opts.base).href;
  return pathToFileURL(path.join(opts.site, rel || 'index.html')).href;
}

const noHash = u => u.split('#')[0];

// A page's URL relative to the site, for messages.
const shortUrl = u =>
  decodeURI(u).replace(decodeURI(siteUrl('')).replace(/[^/]*$/, ''), '') || 'index.html';

// ---- every page: the contract's common part ---------------------------------

async function structure(page) {
  const s = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    h1: document.querySelectorAll('h1').length,
    method: !!document.querySelector('footer a[href$="method.html"]'),
  }));
  assert(s.lang === 'nl', `<html lang="${s.lang}">, want "nl"`);
  assert(s.h1 === 1, `${s.h1} <h1>, want 1`);
  assert(s.method, 'no <footer> link to method.html');
  return 'lang nl, one h1, footer links method.html';
}

// ---- front page -------------------------------------------------------------

function readRows(page) {
  return page.$$eval('#sections tr[data-id]', trs => trs.map(tr => {
    const a = tr.querySelector('a[href]');
    return { id: tr.dataset.id, href: a && a.href,
             title: (a || tr).textContent.trim() };
  }));
}

async function frontPage(page) {
  const rows = await readRows(page);
  assert(rows.length > 0, 'no #sections tr[data-id]');
  const nolink = rows.filter(r => !r.href || !/\/s\/[^/]+\.html$/.test(r.href));
  assert(!nolink.length, `row ${nolink[0]?.id} does not link to s/NAME.html`);
  return rows;
}

// The scorecard and the chapter bars; with file (index.json of evaluate
// --all -f json) also their numbers.
async function totals(page, file, rows) {
  const got = await page.evaluate(() => ({
    n: Object.fromEntries([...document.querySelectorAll('#totals tr[data-verdict]')]
      .map(tr => [tr.dataset.verdict, tr.querySelector('td.n')?.textContent.trim()])),
    bars: [...document.querySelectorAll('svg.bar')].map(s =>
      s.querySelector('title')?.textContent.trim() || ''),
  }));
  const bad = KEYS.filter(k => !/^\d+$/.test(got.n[k] ?? ''))
    .map(k => `no td.n count in #totals tr[data-verdict=${k}]`);
  if (got.bars.some(t => !t)) bad.push('an svg.bar without a <title>');
  assert(!bad.length, bad.join('; '));
  if (!file) return `${KEYS.map(k => `${k} ${got.n[k]}`).join(', ')}; ${got.bars.length} bars`;
  const want = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert(rows.length === want.sections.length,
         `${rows.length} rows, ${file} has ${want.sections.length} sections`);
  for (const k of KEYS) if (parseInt(got.n[k], 10) !== want.total[k])
    bad.push(`${k}: page ${JSON.stringify(got.n[k])}, want ${want.total[k]}`);
  if (want.chapters && got.bars.length !== want.chapters.length)
    bad.push(`${got.bars.length} svg.bar, ${file} has ${want.chapters.length} chapters`);
  assert(!bad.length, bad.join('; '));
  return `${KEYS.map(k => `${k} ${want.total[k]}`).join(', ')}; ${got.bars.length} bars`;
}

// The word of the first row's title that matches the fewest rows.
function filterWord(rows, texts) {
  const words = [...new Set(rows[0].title.match(/[\p{L}\p{N}]{3,}/gu) || [])];
  assert(words.length, `no word in the first row's title "${rows[0].title}"`);
  const hits = w => texts.filter(t => t.includes(w.toLowerCase())).length;
  return words.sort((a, b) => hits(a) - hits(b) || b.length - a.length)[0];
}

const rowState = page => page.$$eval('#sections tr[data-id]', trs => trs.map(tr => ({
  text: tr.textContent.replace(/\s+/g, ' ').toLowerCase(),
  shown: tr.checkVisibility(),
})));

async function waitRows(page, pred, arg) {
  try { await page.waitForFunction(pred, { timeout: 3000 }, arg); } catch {}
  return rowState(page);
}

async function filterBox(page, rows) {
  const texts = (await rowState(page)).map(r => r.text);
  const word = filterWord(rows, texts);
  const want = texts.map(t => t.includes(word.toLowerCase()));
  await page.type('#filter', word);
  const got = await waitRows(page, want => [...document.querySelectorAll(
    '#sections tr[data-id]')].every((tr, i) => tr.checkVisibility() === want[i]), want);
  const wrong = got.findIndex((r, i) => r.shown !== want[i]);
  assert(wrong < 0, `after typing "${word}": ${got.filter(r => r.shown).length} rows ` +
         `shown, want ${want.filter(Boolean).length}; row ${wrong + 1} ` +
         `${got[wrong]?.shown ? 'shown' : 'hidden'}: "${got[wrong]?.text.slice(0, 80)}"`);
  assert(want[0], 'the first row does not contain its own title word');
  await page.click('#filter', { clickCount: 3 });
  await page.keyboard.press('Backspace');
  const back = await waitRows(page, () => [...document.querySelectorAll(
    '#sections tr[data-id]')].every(tr => tr.checkVisibility()));
  assert(back.every(r => r.shown), `after clearing: ${back.filter(r => r.shown).length} ` +
         `of ${back.length} rows shown`);
  return `"${word}" shows ${want.filter(Boolean).length} of ${rows.length} rows, ` +
         'clearing shows all';
}

async function noScript(rows) {
  return withPage(siteUrl(''), async page => {
    const shown = (await rowState(page)).filter(r => r.shown).length;
    assert(shown === rows.length, `${shown} of ${rows.length} rows shown`);
    return `all ${rows.length} rows shown`;
  }, DESKTOP, false);
}

// ---- section and decision pages ---------------------------------------------

async function pickSection(rows) {
  let cand = rows.slice(0, TRY_SECTIONS);
  if (opts.section) {
    cand = rows.filter(r => r.id === opts.section ||
                            r.href.endsWith(`/s/${opts.section}.html`));
    assert(cand.length, `no front-page row for section ${opts.section}`);
  }
  let best;
  for (const r of cand) {
    const [n, cites] = await withPage(r.href, p => p.evaluate(() =>
      ['li.commitment', 'a.cite'].map(s => document.querySelectorAll(s).length)));
    const score = (cites > 0) * 1e9 + n;
    if (!best || score > best.score) best = { ...r, n, cites, score };
  }
  return best;
}

async function commitments(page) {
  const items = await page.$$eval('li.commitment', (lis, badge) => lis.map(li => {
    const b = li.querySelector(badge);
    return { id: li.id, verdict: li.dataset.verdict, machine: li.dataset.machine,
             correction: !!li.querySelector('p.correction'),
             badge: b && b.checkVisibility() ? b.innerText.trim() : '',
             kind: b ? [...b.classList].find(c => c.startsWith('v-')) : undefined };
  }), BADGE);
  assert(items.length > 0, 'no li.commitment');
  const bad = [];
  items.forEach((c, i) => {
    const at = `li.commitment #${i + 1}`;
    if (c.id !== `c-${i + 1}`) bad.push(`${at}: id "${c.id}", want "c-${i + 1}"`);
    if (!KEYS.includes(c.verdict)) bad.push(`${at}: data-verdict "${c.verdict ?? ''}"`);
    if (!c.badge) bad.push(`${at}: no visible ${BADGE} badge text`);
    else if (c.kind !== `v-${c.verdict}`)
      bad.push(`${at}: data-verdict "${c.verdict}" but badge class "${c.kind}"`);
    if (c.machine !== undefined && (!KEYS.includes(c.machine) || !c.correction))
      bad.push(`${at}: data-machine "${c.machine}" without a valid p.correction`);
  });
  assert(!bad.length, bad.slice(0, 10).join('; '));
  const seen = [...new Set(items.map(c => `${c.verdict}="${c.badge}"`))];
  return `${items.length} commitments, badges ${seen.join(', ')}`;
}

async function followCite(page, sectionUrl) {
  const cite = await page.$('a.cite');
  assert(cite, 'no a.cite');
  const href = await cite.evaluate(a => {
    for (let d = a.closest('details'); d; d = d.parentElement.closest('details'))
      d.open = true;
    a.scrollIntoView();
    return a.getAttribute('href');
  });
  assert(/^\.\.\/d\/[^/]+\.html$/.test(href), `a.cite href "${href}", want ../d/NAME.html`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), cite.click()]);
  const dec = page.url();
  assert(/\/d\/[^/]+\.html$/.test(dec), `clicking a.cite went to ${dec}`);
  assert(await page.$('h1'), `${dec}: no <h1>`);
  const back = await page.$$eval('ul.citing a', as => as.map(a => a.href));
  assert(back.length, `${dec}: no ul.citing a`);
  assert(back.some(h => noHash(h) === sectionUrl),
         `${dec}: no ul.citing link back to ${sectionUrl} (has ${back.slice(0, 3)})`);
  await page.goBack({ waitUntil: 'load' });
  assert(noHash(page.url()) === sectionUrl, `back went to ${page.url()}`);
  return { dec, say: `${href} and back (${back.length} citing links)` };
}

// ---- screenshots --------------------------------------------------------------

function paeth(a, b, c) {
  const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

// Decode an 8-bit, non-interlaced PNG (what Chromium writes) to raw pixels.
function decodePng(buf) {
  assert(buf.subarray(0, 8).toString('hex') === '89504e470d0a1a0a', 'not a PNG');
  let ihdr, idat = [];
  for (let pos = 8; pos < buf.length;) {
    const len = buf.readUInt32BE(pos), type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const w = ihdr.readUInt32BE(0), h = ihdr.readUInt32BE(4);
  const bpp = { 0: 1, 2: 3, 4: 2, 6: 4 }[ihdr[9]];
  assert(ihdr[8] === 8 && bpp && !ihdr[12],
         `unsupported PNG (depth ${ihdr[8]}, colour ${ihdr[9]}, interlace ${ihdr[12]})`);
  const raw = zlib.inflateSync(Buffer.concat(idat)), stride = w * bpp;
  const px = Buffer.alloc(h * stride);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)], src = y * (stride + 1) + 1, row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? px[row + x - bpp] : 0, b = y ? px[row - stride + x] : 0;
      const c = x >= bpp && y ? px[row - stride + x - bpp] : 0;
      const pred = f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : f === 4 ? paeth(a, b, c) : 0;
      px[row + x] = (raw[src + x] + pred) & 255;
    }
  }
  return { w, h, bpp, px };
}

// Pixels that differ from the top-left one.
function inked({ w, h, bpp, px }) {
  let n = 0;
  for (let i = bpp; i < w * h * bpp; i += bpp)
    for (let k = 0; k < bpp; k++) if (px[i + k] !== px[k]) { n++; break; }
  return n;
}

async function screenshot(url, view, file) {
  return withPage(url, async page => {
    const text = await page.evaluate(() => document.body.innerText.trim().length);
    assert(text > 0, 'document.body has no visible text');
    const png = Buffer.from(await page.screenshot({ path: file, fullPage: true,
                                                    encoding: 'binary' }));
    assert(png.length > 5000, `${file}: only ${png.length} bytes`);
    const img = decodePng(png), n = inked(img);
    const scale = view.deviceScaleFactor || 1;
    assert(img.w >= view.width * scale,
           `${file}: ${img.w} px wide, want ${view.width * scale} or more`);
    assert(n >= 2000 * scale ** 2,
           `${file}: blank (${n} pixels differ from the background)`);
    const wide = await page.evaluate(() => [innerWidth,
      document.documentElement.scrollWidth]);
    return { say: `${path.basename(file)} ${img.w}x${img.h}, ${png.length} bytes, ` +
             `${(100 * n / (img.w * img.h)).toFixed(1)}% ink`, wide };
  }, view);
}

// Desktop and phone screenshots of one page; a phone layout that scrolls
// sideways (or ignores the phone width) is a warning.
async function screenshots(label, url) {
  for (const [kind, view] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const file = path.join(opts.out, `${label}-${kind}.png`);
    const r = await check(`screenshot ${label} ${kind}`, () => screenshot(url, view, file));
    if (r && kind === 'phone' && (r.wide[0] !== view.width || r.wide[1] > view.width))
      warn(`${label} phone layout`, `viewport ${r.wide[0]} px, content ${r.wide[1]} px ` +
           `wide at ${view.width} px (missing <meta name="viewport">, or too wide)`);
  }
}

// ---- axe ----------------------------------------------------------------------

// From file:// axe cannot read the style sheets and would fetch them (a CORS
// error), so it does without (only css-orientation-lock needs them).
async function axe(page) {
  await page.evaluate(fs.readFileSync(AXE, 'utf8'));  // no <script>: CSP-proof
  const preload = !page.url().startsWith('file:');
  const found = await page.evaluate(async preload => (await window.axe.run(document, {
    resultTypes: ['violations'], preload })).violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })), preload);
  const bad = found.filter(v => v.impact === 'serious' || v.impact === 'critical');
  assert(!bad.length, bad.map(v => `${v.id} (${v.impact}): ${v.help} at ` +
                               v.targets.join(' | ')).join('\n      '));
  const minor = found.map(v => `${v.id} (${v.impact})`);
  return minor.length ? `nothing serious; ${minor.join(', ')}` : 'no violations';
}

// The contract's common part and axe, on one page.
async function pageChecks(label, url) {
  await withPage(url, async page => {
    await check(`${label} page: structure`, () => structure(page));
    await check(`axe ${label} page`, () => axe(page));
  }).catch(e => check(`${label} page: load`, () => { throw e; }));
}

// ---- hostile corpus text -------------------------------------------------------

function htmlFiles(dir, rel = '') {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? htmlFiles(dir, path.join(rel, e.name))
      : e.name.endsWith('.html') ? [rel ? path.join(rel, e.name) : e.name] : []);
}

// In the page: everything corpus text must not have become.  A link's
// scheme must be in schemes; with origin set, an http: link must be to it.
function inspect(tags, schemes, origin, marker) {
  const out = [], cut = s => JSON.stringify(String(s).slice(0, 60));
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName.toLowerCase();
    if (!tags.includes(tag)) out.push(`element <${tag}>`);
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) out.push(`<${tag} ${a.name}=${cut(a.value)}>`);
      if (/^javascript:/i.test(a.value.replace(/[\s\u0000-\u001f]/g, '')))
        out.push(`<${tag} ${a.name}=${cut(a.value)}>`);
    }
    if (tag === 'script') {
      const src = el.getAttribute('src');
      if (!src || !new URL(src, document.baseURI).pathname.endsWith('/filter.js'))
        out.push(`<script${src ? ' src=' + cut(src) : ''}> ${cut(el.textContent)}`);
    }
  }
  for (const a of document.querySelectorAll('a[href]')) {
    let u;
    try { u = new URL(a.getAttribute('href'), document.baseURI); } catch {}
    if (!u || !schemes.includes(u.protocol) ||
        (origin && u.protocol === 'http:' && u.origin !== origin))
      out.push(`<a href=${cut(a.getAttribute('href'))}>`);
  }
  const text = document.title + document.body.textContent;
  return { problems: out, marked: marker !== '' && text.includes(marker),
           links: [...document.querySelectorAll('a[href]')].map(a =>
             a.href.split('#')[0].replace(/\/index\.html$/, '/')) };
}

// Inspect every page: the *.html under --site DIR, or (--base alone) every
// page of the server reachable from the front page.  Four at a time.
async function hostile() {
  const schemes = opts.base ? ['http:', 'https:'] : ['http:', 'https:', 'file:'];
  const origin = opts.base ? new URL(opts.base).origin : '';
  const todo = opts.site ? htmlFiles(opts.site).map(siteUrl) : [siteUrl('')];
  const seen = new Set(todo), problems = [];
  let marked = 0;
  const visit = async u => {
    let r;
    try {
      r = await withPage(u, p => p.evaluate(inspect, [...TAGS], schemes, origin,
                                             opts.marker));
    } catch (e) { return problems.push(`${shortUrl(u)}: ${e.message}`); }
    problems.push(...[...new Set(r.problems)].map(p => `${shortUrl(u)}: ${p}`));
    marked += r.marked;
    if (!opts.site) for (const l of r.links)
      if (new URL(l).origin === origin && !new URL(l).pathname.startsWith('/search') &&
          !seen.has(l)) { seen.add(l); todo.push(l); }
  };
  while (todo.length) await Promise.all(todo.splice(0, 4).map(visit));
  return { total: seen.size, problems, marked };
}

async function hostileChecks() {
  let r;
  await check('hostile: no markup, script, handler or bad link from corpus text', async () => {
    r = await hostile();
    assert(!r.problems.length, `${r.problems.length} problems:\n      ` +
           r.problems.slice(0, 20).join('\n      '));
    return `${r.total} pages`;
  });
  if (r && opts.marker) await check(`hostile: corpus markup shown as text`, async () => {
    assert(r.marked > 0, `no page shows "${opts.marker}" as text (dropped or parsed?)`);
    return `"${opts.marker}" is text on ${r.marked} of ${r.total} pages`;
  });
}

// ---- main -------------------------------------------------------------------------

function usage(msg) {
  console.error(`check.mjs: ${msg}\nusage: node check.mjs (--site DIR | --base URL) ` +
    '--out OUTDIR [--expect-totals FILE] [--section NAME] [--hostile] [--marker TEXT]');
  process.exit(2);
}

function parse() {
  let v;
  try {
    v = parseArgs({ options: {
      site: { type: 'string' }, base: { type: 'string' }, out: { type: 'string' },
      'expect-totals': { type: 'string' }, section: { type: 'string' },
      hostile: { type: 'boolean' }, marker: { type: 'string', default: '<script>alert(' },
    } }).values;
  } catch (e) { usage(e.message); }
  if (!v.site && !v.base) usage('need --site DIR or --base URL');
  if (!v.out) usage('need --out OUTDIR');
  if (v.site && !fs.existsSync(path.join(v.site, 'index.html')))
    usage(`${v.site}/index.html does not exist`);
  if (v.base && !v.base.endsWith('/')) v.base += '/';
  if (v.site) v.site = path.resolve(v.site);
  fs.mkdirSync(v.out, { recursive: true });
  return v;
}

async function sectionChecks(rows) {
  const sec = await check('pick a section page', async () => {
    const s = await pickSection(rows);
    assert(s && s.n > 0, 'no section page (of those tried) has li.commitment');
    return { ...s, say: `${s.id}: ${s.n} commitments, ${s.cites} citations` };
  });
  if (!sec) { skip('section page', 'no section'); return {}; }
  let dec;
  await withPage(sec.href, async page => {
    await check('section page: commitments and verdict badges', () => commitments(page));
    const r = await check('section page: first citation to its decision and back',
                          () => followCite(page, sec.href));
    dec = r && r.dec;
  }).catch(e => check('section page: load', () => { throw e; }));
  return { sec: sec.href, dec };
}

async function main() {
  opts = parse();
  if (!await check('launch chromium', launch)) process.exit(1);
  const front = siteUrl('');
  let rows;
  await withPage(front, async page => {
    rows = await check('front page: rows', async () => {
      const r = await frontPage(page);
      return Object.assign(r, { say: `${r.length} sections` });
    });
    const file = opts['expect-totals'];
    if (rows) await check(`front page: totals${file ? ' match ' + file : ''}`,
                          () => totals(page, file, rows));
    if (rows) await check('front page: filter box', () => filterBox(page, rows));
  }).catch(e => check('front page: load', () => { throw e; }));
  if (!rows) skip('the other checks', 'the front page failed');
  else {
    await check('front page without JavaScript', () => noScript(rows));
    const { sec, dec } = await sectionChecks(rows);
    await screenshots('front', front);
    if (sec) await screenshots('section', sec);
    for (const [label, url] of [['front', front], ['section', sec], ['decision', dec]])
      if (url) await pageChecks(label, url);
  }
  if (opts.hostile) await hostileChecks();
  await new Promise(r => setTimeout(r, 100));   // late console messages
  await check('no dialog, page error or console error anywhere', () => 'none');
  await browser.close();
  console.log(failed ? `${failed} check(s) failed` : 'all checks passed');
  process.exit(failed ? 1 : 0);
}

main().catch(e => { console.error(`check.mjs: ${e.stack}`); process.exit(1); });
