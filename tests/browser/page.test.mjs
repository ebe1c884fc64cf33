// Browser tests for the unspin page: the real `unspin serve` (with the model) driven through
// headless Chromium. Run after `cargo build`/`cargo test` (it uses the debug binary):
//
//   cd tests/browser && npm ci && node page.test.mjs
//
// Environment: UNSPIN_BIN (default: $CARGO_TARGET_DIR or target, /debug/unspin), CHROMIUM
// (default /usr/bin/chromium), ARTIFACTS (default target/browser-artifacts).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(repo, 'target');
const bin = process.env.UNSPIN_BIN || join(targetDir, 'debug', 'unspin');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const artifacts = process.env.ARTIFACTS ? resolve(process.env.ARTIFACTS) : join(repo, 'target', 'browser-artifacts');
const article = readFileSync(join(repo, 'examples', 'article9001.txt'), 'utf8');
// For the claims panel: a named quote, an "according to" source, a hedge, an insinuating
// question and a claim resting on no source (split over a line break). Each claim states a fact
// that can be checked (a figure, a date, an act), so that whichever model scores them, they read
// as check-worthy.
const claimsArticle = 'Harbour “deal” under fire\n\n'
  + '“We have cut port fees by 40 percent since March,” said Maria Lopez, the trade minister. '
  + 'According to sources close to the ministry, the contract was signed in secret.\n'
  + 'The port authority has reportedly lost millions on the lease. Who really benefits from this? '
  + 'The lease, signed in 2019, runs for 99 years\nand cannot be cancelled.\n';

let failures = 0;
async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    failures += 1;
    console.log(`FAIL ${name}\n     ${err && err.stack ? err.stack : err}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function equalSets(a, b) {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

// A small corpus for the corpus view: the example's paragraphs as nine stories from three rated
// outlets over three months, indexed with the fast model into an SQLite file.
function buildCorpus() {
  const dir = mkdtempSync(join(tmpdir(), 'unspin-browser-'));
  const paragraphs = article.split('\n').filter((p) => p.trim().split(/\s+/).length > 12);
  const outlets = ['rt.com', 'reuters.com', 'breitbart.com'];
  const lines = [];
  for (let i = 0; i < 9; i += 1) {
    lines.push(JSON.stringify({
      id: `story${i}`,
      title: `Story ${i}`,
      text: [paragraphs[i % paragraphs.length], paragraphs[(i + 1) % paragraphs.length]].join('\n\n'),
      url: `https://www.${outlets[i % 3]}/news/${i}`,
      date: `2024-0${1 + Math.floor(i / 3)}-1${i % 3}`,
    }));
  }
  writeFileSync(join(dir, 'stories.jsonl'), `${lines.join('\n')}\n`);
  const db = join(dir, 'corpus.sqlite');
  execFileSync(bin, ['index', '--model', 'fast', '--progress', 'never', '--db', db, join(dir, 'stories.jsonl')], { stdio: 'inherit' });
  return db;
}

// `unspin serve` on a free port, with the corpus view of `db`; resolves with its base URL once it
// listens. The tests check the page, not the model's speed (bench/ does): the debug build on a
// slow 2-core CI machine took longer than the default 60 s limit on the 10,000-word article, so
// the limit here is 10 minutes.
function startServer(db) {
  if (!existsSync(bin)) throw new Error(`${bin} does not exist: build it first (cargo build -p unspin-cli)`);
  const args = ['serve', '--bind', '127.0.0.1:0', '--concurrency', '2', '--timeout', '600', '--db', db];
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolvePromise, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no address from unspin serve after 120 s: ${seen}`)), 120000);
    child.stderr.on('data', (chunk) => {
      seen += chunk.toString();
      const match = seen.match(/listening on (http:\/\/[^/\s]+)\//);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, base: match[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`unspin serve exited with ${code}: ${seen}`)));
  });
}

async function analyseText(page, text) {
  await page.fill('#text', text);
  await page.click('#analyse');
  await page.waitForFunction(() => /Analysed|Could not/.test(document.getElementById('status').textContent), null, { timeout: 120000 });
  const status = await page.textContent('#status');
  assert(status.startsWith('Analysed'), `status: ${status}`);
}

// What the page shows: for each span index, the text of the marks that carry it, and the
// techniques on the marks.
function shownSpans(page) {
  return page.evaluate(() => {
    const texts = {};
    const techniques = new Set();
    for (const mark of document.querySelectorAll('#article mark')) {
      for (const id of mark.dataset.spans.split(' ')) texts[id] = (texts[id] || '') + mark.textContent;
      for (const t of mark.dataset.techniques.split('|')) techniques.add(t);
    }
    return { texts, techniques: [...techniques] };
  });
}

async function api(base, body) {
  const response = await fetch(`${base}/v1/analyze`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  assert(response.ok, `API answered ${response.status}`);
  return response.json();
}

const { child, base } = await startServer(buildCorpus());
const browser = await chromium.launch({ executablePath: browserPath, headless: true, args: ['--no-sandbox'] });
mkdirSync(artifacts, { recursive: true });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  const consoleErrors = [];
  page.on('console', (m) => {
    // A refused request (the 422 below) is logged by the browser itself; that is not a bug.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(base);

  const expected = (await api(base, { text: article })).documents[0];

  await check('pasted article is analysed and every span is highlighted with its technique', async () => {
    await analyseText(page, article);
    const shown = await shownSpans(page);
    assert(expected.spans.length > 0, 'the model found no span in the example article');
    const want = new Set(expected.spans.map((s) => s.technique));
    assert(equalSets(new Set(shown.techniques), want), `marks show ${shown.techniques}, the API found ${[...want]}`);
    expected.spans.forEach((span, i) => {
      assert(shown.texts[i] === span.text, `span ${i}: page shows ${JSON.stringify(shown.texts[i])}, API ${JSON.stringify(span.text)}`);
    });
    const legend = await page.$$eval('#legend button', (bs) => bs.map((b) => b.dataset.technique));
    assert(equalSets(new Set(legend), want), `legend ${legend}`);
    const score = await page.textContent('#summary');
    assert(score.includes(`${Math.round(expected.stats.score * 100)}%`), `summary ${score}`);
    assert((await page.$$('#chart .bar')).length === want.size, 'one bar per technique');
  });

  await check('a screenshot is saved', async () => {
    await page.click('#article mark');
    await page.screenshot({ path: join(artifacts, 'page.png'), fullPage: true });
  });

  await check('the legend filters the highlights', async () => {
    const label = await page.$eval('#legend button', (b) => b.dataset.technique);
    const before = await page.$$eval('#article mark', (ms) => ms.length);
    await page.click(`#legend button[data-technique="${label}"]`);
    const pressed = await page.$eval(`#legend button[data-technique="${label}"]`, (b) => b.getAttribute('aria-pressed'));
    assert(pressed === 'false', `aria-pressed ${pressed}`);
    const shown = await shownSpans(page);
    assert(!shown.techniques.includes(label), `${label} still highlighted`);
    await page.click(`#legend button[data-technique="${label}"]`);
    const after = await page.$$eval('#article mark', (ms) => ms.length);
    assert(after === before, `marks ${before} → ${after} after showing ${label} again`);
  });

  await check('a highlight explains itself on click and from the keyboard', async () => {
    await page.click('#article mark');
    const details = await page.textContent('#details');
    assert(/confidence/.test(details), `details: ${details}`);
    const first = expected.spans[0];
    const entry = expected.techniques.find((t) => t.label === first.technique);
    await page.evaluate(() => document.getElementById('details').replaceChildren());
    await page.focus('#article mark');
    await page.keyboard.press('Enter');
    const again = await page.textContent('#details');
    assert(again.includes(entry.definition), 'the first span\'s definition is shown');
  });

  await check('the confidence slider hides less certain spans', async () => {
    // The slider snaps to its step: take the first step above the most confident span.
    const top = Math.max(...expected.spans.map((s) => s.confidence));
    const step = Number(await page.$eval('#confidence', (input) => input.step));
    const min = Math.min(1, (Math.floor(top / step + 1e-9) + 1) * step);
    assert(min > top, `the most confident span (${top}) cannot be hidden by a slider that stops at 1`);
    await page.$eval('#confidence', (input, value) => {
      input.value = String(value);
      input.dispatchEvent(new Event('input'));
    }, min);
    await page.waitForFunction(() => document.querySelectorAll('#article mark').length === 0);
    await page.$eval('#confidence', (input) => {
      input.value = '0';
      input.dispatchEvent(new Event('input'));
    });
    await page.waitForFunction(() => document.querySelectorAll('#article mark').length > 0);
  });

  await check('the claims panel lists each claim with its source and flags, and finds it in the article', async () => {
    const want = (await api(base, { text: claimsArticle })).documents[0];
    await analyseText(page, claimsArticle);
    const items = await page.$$eval('#claims button.claim-item', (bs) => bs.map((b) => ({
      sentence: Number(b.dataset.sentence),
      source: (b.querySelector('.source, .badge.unattributed') || {}).textContent,
      unattributed: Boolean(b.querySelector('.badge.unattributed')),
      badges: [...b.querySelectorAll('.badge')].map((x) => x.textContent),
      text: b.querySelector('.claim-text').textContent,
      scores: [...b.querySelectorAll('.score')].map((x) => x.textContent),
    })));
    const listed = want.claims.sentences.filter((sc) => sc.claim || sc.insinuation).map((sc) => sc.sentence);
    assert(JSON.stringify(items.map((i) => i.sentence)) === JSON.stringify(listed), `panel lists ${items.map((i) => i.sentence)}, API ${listed}`);
    const find = (start) => {
      const item = items.find((i) => i.text.startsWith(start));
      assert(item, `no claim starting ${JSON.stringify(start)} in ${JSON.stringify(items)}`);
      return item;
    };
    assert(find('“We have cut').source === 'Named: Maria Lopez', `named: ${JSON.stringify(find('“We have'))}`);
    const vague = find('According to sources');
    assert(vague.source === 'Vague: sources close to the ministry', `vague: ${JSON.stringify(vague)}`);
    assert(!vague.unattributed, 'an attributed claim has no badge');
    assert(find('The port authority').badges.includes('hedged: reportedly'), 'the hedge is flagged');
    assert(find('Who really benefits').badges.includes('insinuation: Who really'), 'the insinuation is flagged');
    const bare = find('The lease, signed');
    assert(bare.unattributed && bare.source === 'unattributed', `unattributed: ${JSON.stringify(bare)}`);
    assert(bare.text === 'The lease, signed in 2019, runs for 99 years and cannot be cancelled.', bare.text);
    assert(items.filter((i) => i.unattributed).length === want.claims.summary.unattributed, 'one badge per unattributed claim');
    // The model's sentence heads scored every sentence: each item shows the API's scores.
    assert(want.claims.basis === 'checkworthy', `basis ${want.claims.basis}`);
    const pct = (x) => `${Math.round(x * 100)}%`;
    for (const item of items) {
      const sc = want.claims.sentences[item.sentence];
      const expected = [`check-worthy ${pct(sc.checkworthy)}`, `subjective ${pct(sc.subjective)}`];
      assert(JSON.stringify(item.scores) === JSON.stringify(expected), `scores ${item.scores}, API ${expected}`);
    }
    const summary = await page.textContent('#claims-summary');
    assert(summary.includes('Claims') && summary.includes(String(want.claims.summary.claims)), `summary ${summary}`);
    assert(summary.includes(`${Math.round(want.claims.summary.attributed_share * 100)}%`), `summary ${summary}`);
    assert(summary.includes(`Subjective${pct(want.claims.summary.subjective_share)}`), `subjective share: ${summary}`);

    await page.click(`#claims button[data-sentence="${vague.sentence}"]`);
    const focused = await page.$$eval('#article .sentence-focus', (ns) => ns.map((n) => n.textContent).join(''));
    assert(focused === want.sentences[vague.sentence].text, `highlighted ${JSON.stringify(focused)}`);
    const pressed = await page.$eval(`#claims button[data-sentence="${vague.sentence}"]`, (b) => b.getAttribute('aria-pressed'));
    assert(pressed === 'true', `aria-pressed ${pressed}`);
    assert((await page.textContent('#article')) === claimsArticle, 'highlighting leaves the text as it was');
    await page.waitForFunction(() => {
      const r = document.querySelector('#article .sentence-focus').getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }, null, { timeout: 5000 });
    await page.screenshot({ path: join(artifacts, 'page-claims.png'), fullPage: true });
    // The slider redraws the article; the claim stays highlighted.
    await page.$eval('#confidence', (input) => {
      input.value = '0.05';
      input.dispatchEvent(new Event('input'));
    });
    await page.waitForTimeout(100);
    assert((await page.$$('#article .sentence-focus')).length > 0, 'the highlight survives a redraw');
    await page.$eval('#confidence', (input) => {
      input.value = '0';
      input.dispatchEvent(new Event('input'));
    });
    // Pressing it again clears it.
    await page.click(`#claims button[data-sentence="${vague.sentence}"]`);
    assert((await page.$$('#article .sentence-focus')).length === 0, 'pressing again clears the highlight');
  });

  await check('JSON and Label Studio exports download the server\'s output', async () => {
    // Its own article, so that a failure above cannot carry into these checks.
    await analyseText(page, article);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const json = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert(typeof json.schema_version === 'string' && json.generator.startsWith('unspin'), 'a versioned unspin document');
    assert(json.documents[0].text === article, 'the exported text is the article');
    assert(json.documents[0].spans.length === expected.spans.length, 'every span exported');
    await download.saveAs(join(artifacts, 'export.json'));
    const [ls] = await Promise.all([page.waitForEvent('download'), page.click('#export-labelstudio')]);
    const tasks = JSON.parse(readFileSync(await ls.path(), 'utf8'));
    assert(Array.isArray(tasks), 'Label Studio tasks');
    const regions = tasks[0].predictions[0].result;
    assert(regions.filter((r) => r.from_name === 'technique').length === expected.spans.length, 'every span a region');
    const claimRegions = regions.filter((r) => r.from_name === 'claims' && /claim$/i.test(r.value.labels[0]));
    assert(claimRegions.length === expected.claims.summary.claims, `${claimRegions.length} claim regions`);
    const [brat] = await Promise.all([page.waitForEvent('download'), page.click('#export-brat')]);
    const ann = readFileSync(await brat.path(), 'utf8');
    assert(/^T1\t/.test(ann), `brat: ${ann.slice(0, 80)}`);
  });

  await check('hostile article text is shown as text, never run or parsed', async () => {
    const hostile = '<script>window.__pwned = 1; alert("script")</script> 🙂 Harbour <b>deal</b>\n\n'
      + 'Officials said <img src=x onerror="window.__pwned = 2; alert(\'img\')"> and "><svg onload=alert(3)> that the corrupt '
      + 'bureaucrats sold the harbour for pocket change. Every true patriot knows what this means.\n';
    await analyseText(page, hostile);
    await page.waitForTimeout(300);
    const state = await page.evaluate(() => ({
      pwned: window.__pwned,
      injected: document.querySelectorAll('#results img, #results script, #results svg, #results b').length,
      text: document.getElementById('article').textContent,
      title: document.getElementById('meta').textContent,
    }));
    assert(dialogs.length === 0, `dialogs opened: ${dialogs}`);
    assert(state.pwned === undefined, 'a payload ran');
    assert(state.injected === 0, `${state.injected} elements injected`);
    assert(state.text === hostile, 'the article is shown exactly as written');
    assert(state.title.includes('<script>'), 'the title is shown as text');
    const expectedHostile = (await api(base, { text: hostile })).documents[0];
    const shown = await shownSpans(page);
    expectedHostile.spans.forEach((span, i) => {
      assert(shown.texts[i] === span.text, `span ${i} after an astral character: ${shown.texts[i]} vs ${span.text}`);
    });
  });

  await check('an uploaded file is analysed like the pasted text', async () => {
    await page.fill('#text', '');
    await page.setInputFiles('#file', join(repo, 'examples', 'article9001.txt'));
    await page.click('#analyse');
    await page.waitForFunction(() => /Analysed|Could not/.test(document.getElementById('status').textContent));
    const status = await page.textContent('#status');
    assert(status.startsWith('Analysed'), `status: ${status}`);
    assert((await page.textContent('#article')) === article, 'the uploaded article is shown');
    const shown = await shownSpans(page);
    expected.spans.forEach((span, i) => assert(shown.texts[i] === span.text, `span ${i}`));
    await page.setInputFiles('#file', []);
  });

  await check('a private URL is refused with a readable message', async () => {
    await page.fill('#text', '');
    await page.fill('#url', `${base}/healthz`);
    await page.click('#analyse');
    await page.waitForFunction(() => /Could not/.test(document.getElementById('status').textContent));
    const status = await page.textContent('#status');
    assert(status.includes('refusing to fetch'), status);
    await page.fill('#url', '');
  });

  await check('a 10,000-word article is analysed and redrawn quickly', async () => {
    const body = article.split('\n').slice(2).join('\n');
    const long = `A long one\n\n${Array.from({ length: 44 }, () => body).join('\n\n')}`;
    const words = long.split(/\s+/).filter(Boolean).length;
    assert(words >= 10000, `${words} words`);
    const started = Date.now();
    await analyseText(page, long);
    const total = Date.now() - started;
    const redraw = await page.evaluate(async () => {
      const input = document.getElementById('confidence');
      const t = performance.now();
      input.value = '0.05';
      input.dispatchEvent(new Event('input'));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - t;
    });
    const marks = await page.$$eval('#article mark', (ms) => ms.length);
    console.log(`     ${words} words: analysed and drawn in ${total} ms; ${marks} marks redrawn in ${Math.round(redraw)} ms`);
    assert(redraw < 1000, `redrawing took ${redraw} ms`);
  });

  await check('on a phone-width screen nothing overflows sideways', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await p.goto(base);
    await analyseText(p, article);
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await p.screenshot({ path: join(artifacts, 'page-phone.png') });
    await phone.close();
  });


  await check('the corpus view draws its three charts from the trends API', async () => {
    await page.goto(`${base}/#corpus`);
    await page.waitForFunction(() => document.querySelectorAll('#documents tbody tr').length > 0, null, { timeout: 30000 });
    assert(!(await page.isVisible('#input')), 'the article form is hidden in the corpus view');
    const charts = await page.evaluate(() => ['chart-outlets', 'chart-months', 'chart-factuality'].map((id) => {
      const c = window.Chart.getChart(document.getElementById(id));
      return c ? { type: c.config.type, labels: c.data.labels, sets: c.data.datasets.map((d) => ({ label: d.label, data: d.data, stack: c.options.scales.y.stacked })) } : null;
    }));
    assert(charts.every(Boolean), `a chart is missing: ${JSON.stringify(charts)}`);
    const trends = await (await fetch(`${base}/v1/corpus/trends?by=outlet`)).json();
    const [bars, lines, scatter] = charts;
    assert(bars.type === 'bar' && bars.sets.every((d) => d.stack), 'stacked bars');
    assert(equalSets(new Set(bars.labels), new Set(trends.rows.map((r) => r.outlet))), `bars for ${bars.labels}`);
    // Each technique's segment is that outlet's rate of it.
    for (const set of bars.sets) {
      const label = Object.keys(trends.rows[0].technique_rates).find((t) => t.replace(/_/g, ' ') === set.label);
      bars.labels.forEach((outlet, i) => {
        const row = trends.rows.find((r) => r.outlet === outlet);
        assert(Math.abs(set.data[i] - row.technique_rates[label]) < 1e-9, `${set.label} of ${outlet}: ${set.data[i]}`);
      });
    }
    assert(lines.type === 'line' && equalSets(new Set(lines.sets.map((d) => d.label)), new Set(bars.labels)), 'one line per outlet');
    assert(JSON.stringify(lines.labels) === JSON.stringify(['2024-01', '2024-02', '2024-03']), `months ${lines.labels}`);
    assert(scatter.type === 'scatter' && scatter.sets[0].data.length === 3, 'a dot per rated outlet');
    const rt = scatter.sets[0].data.find((p) => p.outlet === 'rt.com');
    assert(rt.y === 1 && Math.abs(rt.x - trends.rows.find((r) => r.outlet === 'rt.com').spans_per_1k_words) < 1e-9, JSON.stringify(rt));
    await page.screenshot({ path: join(artifacts, 'corpus.png'), fullPage: true });
  });

  await check('the document table sorts on the server and a technique filters it', async () => {
    await page.click('#documents th button[data-sort="spans"]');
    const want = await (await fetch(`${base}/v1/corpus/documents?sort=spans&order=desc&limit=25`)).json();
    await page.waitForFunction((ids) => [...document.querySelectorAll('#documents tbody tr')].map((r) => r.dataset.id).join() === ids,
      want.documents.map((d) => String(d.id)).join(), { timeout: 10000 });
    assert((await page.getAttribute('#documents th:nth-child(5)', 'aria-sort')) === 'descending', 'the sorted column says so');
    const technique = (await (await fetch(`${base}/v1/corpus`)).json()).techniques.at(-1);
    await page.selectOption('#corpus-technique', technique);
    const filtered = await (await fetch(`${base}/v1/corpus/documents?technique=${encodeURIComponent(technique)}&limit=25`)).json();
    await page.waitForFunction((n) => document.getElementById('documents-count').textContent === `(${n})`, filtered.total, { timeout: 10000 });
    const caption = await page.textContent('#chart-months-caption');
    assert(caption.startsWith(technique.replace(/_/g, ' ')), caption);
    await page.selectOption('#corpus-technique', '');
  });

  await check('a row opens the stored document in the article view, not analysed again', async () => {
    await page.waitForFunction(() => document.getElementById('documents-count').textContent === '(9)', null, { timeout: 10000 });
    const id = await page.getAttribute('#documents tbody tr:first-child', 'data-id');
    const stored = (await (await fetch(`${base}/v1/corpus/documents/${id}`)).json()).documents[0];
    await page.click('#documents tbody tr:first-child');
    await page.waitForFunction(() => /stored analysis/.test(document.getElementById('status').textContent), null, { timeout: 10000 });
    assert(await page.isVisible('#results'), 'the article view is shown');
    assert((await page.textContent('#article')) === stored.text, 'the stored text is shown');
    const shown = await shownSpans(page);
    stored.spans.forEach((span, i) => assert(shown.texts[i] === span.text, `span ${i}: ${shown.texts[i]} vs ${span.text}`));
    assert((await page.getAttribute('#view-article', 'aria-pressed')) === 'true', 'the article tab is pressed');
    await page.click('#view-corpus');
    assert(await page.isVisible('#corpus'), 'back to the corpus');
    await page.click('#view-article');
  });

  await check('no script errors on the page', async () => {
    assert(consoleErrors.length === 0, consoleErrors.join('\n'));
  });
} finally {
  await browser.close();
  child.kill();
}

console.log(failures ? `${failures} browser test(s) failed` : 'all browser tests passed');
console.log(`artifacts: ${artifacts}`);
process.exit(failures ? 1 : 0);
