// The unspin page: sends the input to /v1/analyze and shows the answer. With `unspin serve --db`
// it also has a corpus view: charts over /v1/corpus/trends (drawn with the bundled Chart.js) and a
// table over /v1/corpus/documents whose rows open a stored document in the article view.
//
// Article text is hostile input. It reaches the page only through textContent, text nodes and
// attribute setters, never through an API that parses markup. Exports come from the server's
// own writers (?format=…), so the page holds no output-format logic.
'use strict';

(() => {
  // One colour per technique (SemEval label); light enough for dark text on top.
  const COLOURS = {
    'Appeal_to_Authority': '#9ecae1',
    'Appeal_to_fear-prejudice': '#fdae6b',
    'Bandwagon,Reductio_ad_hitlerum': '#c7e9c0',
    'Black-and-White_Fallacy': '#bcbddc',
    'Causal_Oversimplification': '#fdd0a2',
    'Doubt': '#a1d99b',
    'Exaggeration,Minimisation': '#fcbba1',
    'Flag-Waving': '#fc9272',
    'Loaded_Language': '#fee08b',
    'Name_Calling,Labeling': '#f4a6d7',
    'Repetition': '#d9d9d9',
    'Slogans': '#80cdc1',
    'Thought-terminating_Cliches': '#dfc27d',
    'Whataboutism,Straw_Men,Red_Herring': '#b3cde3',
  };
  const colour = (label) => COLOURS[label] || '#dddddd';

  const $ = (id) => document.getElementById(id);
  const state = {
    request: null, // what was sent, to send again for exports
    raw: '', // the server's JSON, as it came
    result: null,
    doc: null,
    min: 0,
    hidden: new Set(),
    focus: null, // the sentence a pressed claim points to, highlighted in the article
  };

  // An element with text content only; `attrs` are set as attributes (never HTML).
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const percent = (x) => `${Math.round(x * 100)}%`;

  function setStatus(message, isError) {
    const status = $('status');
    status.textContent = message;
    status.classList.toggle('error', Boolean(isError));
  }

  function currentRequest() {
    const file = $('file').files[0];
    if (file) return { kind: 'file', file };
    const url = $('url').value.trim();
    if (url) return { kind: 'url', url };
    const text = $('text').value;
    if (text.trim()) return { kind: 'text', text };
    return null;
  }

  async function send(request, params) {
    const query = new URLSearchParams(params || {}).toString();
    const init = { method: 'POST' };
    if (request.kind === 'file') {
      const form = new FormData();
      form.append('file', request.file, request.file.name);
      init.body = form;
    } else {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(request.kind === 'url' ? { url: request.url } : { text: request.text });
    }
    return bodyOf(await fetch(`/v1/analyze${query ? `?${query}` : ''}`, init));
  }

  // The body of a response, or an Error with the server's message (our JSON error) or status.
  async function bodyOf(response) {
    const body = await response.text();
    if (!response.ok) {
      let message = `${response.status} ${response.statusText}`;
      try {
        message = JSON.parse(body).error.message;
      } catch (_) {
        // Not our JSON error: keep the status line.
      }
      throw new Error(message);
    }
    return body;
  }

  async function analyse(event) {
    event.preventDefault();
    const request = currentRequest();
    if (!request) {
      setStatus('Paste a text, choose a file or give a URL first.', true);
      return;
    }
    const button = $('analyse');
    button.disabled = true;
    setStatus('Analysing…');
    const started = performance.now();
    try {
      const raw = await send(request);
      state.request = request;
      state.raw = raw;
      state.result = JSON.parse(raw);
      state.hidden.clear();
      showResult();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      setStatus(`Analysed in ${seconds} s.`);
      $('results').focus();
    } catch (err) {
      setStatus(`Could not analyse: ${err.message}`, true);
    } finally {
      button.disabled = false;
    }
  }

  function showResult() {
    const result = state.result;
    const select = $('doc-select');
    select.replaceChildren();
    result.documents.forEach((doc, i) => {
      select.append(el('option', { value: String(i) }, doc.meta.title || doc.id));
    });
    $('doc-choice').hidden = result.documents.length < 2;
    const errors = $('errors');
    errors.replaceChildren(...result.errors.map((e) => el('li', {}, e.message)));
    errors.hidden = result.errors.length === 0;
    $('results').hidden = false;
    showDocument(0);
  }

  function showDocument(index) {
    state.doc = state.result.documents[index];
    // Code-point offsets (what the server counts) to UTF-16 offsets (what JS strings index).
    state.units = unitOffsets(state.doc.text);
    state.focus = null;
    showMeta();
    showSummary();
    showClaims();
    render();
  }

  // Maps code-point offsets to UTF-16 offsets; identity when the text has no astral characters.
  function unitOffsets(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
    const table = [];
    let unit = 0;
    for (const ch of text) {
      table.push(unit);
      unit += ch.length;
    }
    table.push(unit);
    return (i) => table[Math.min(i, table.length - 1)];
  }

  function showMeta() {
    const meta = state.doc.meta;
    const box = $('meta');
    box.replaceChildren();
    if (meta.title) box.append(el('h2', { class: 'title' }, meta.title));
    const facts = [meta.site_name || meta.site, meta.byline, meta.date, meta.url].filter(Boolean);
    if (facts.length) box.append(el('p', { class: 'facts' }, facts.join(' · ')));
  }

  function showSummary() {
    const stats = state.doc.stats;
    const rows = [
      ['Score', percent(stats.score), 'Mean over sentences of the surest span in each: the expected share of sentences that use a technique.'],
      ['Propaganda share', percent(stats.span_char_share), 'Share of the text inside at least one span.'],
      ['Sentences with spans', percent(stats.span_sentence_share), ''],
      ['Spans', String(stats.spans), ''],
      ['Words', String(stats.words), ''],
    ];
    const list = $('summary');
    list.replaceChildren();
    for (const [term, value, help] of rows) {
      const dt = el('dt', help ? { title: help } : {}, term);
      list.append(dt, el('dd', {}, value));
    }
  }

  // The claims stage: its counts, then each claim (and each insinuating question) with its
  // source and flags, as a button that finds the sentence in the article.
  function showClaims() {
    const claims = state.doc.claims;
    const list = $('claims');
    const summaryBox = $('claims-summary');
    list.replaceChildren();
    summaryBox.replaceChildren();
    if (!claims) {
      $('claims-basis').textContent = 'No claims analysis in this answer.';
      return;
    }
    const s = claims.summary;
    const rows = [
      ['Claims', String(s.claims), 'Sentences that assert something checkable.'],
      ['Attributed', s.claims ? `${percent(s.attributed_share)} (${s.named} named, ${s.vague} vague)` : '–', 'Share of claims that rest on a named or vague source.'],
      ['Unattributed', String(s.unattributed), 'Claims that rest on no source.'],
      ['Hedges', String(s.hedges), 'Hedge cues in the writer\'s own voice ("reportedly", "it seems").'],
      ['Insinuations', String(s.insinuations), 'Questions that suggest without asserting ("Who really benefits?").'],
    ];
    if (s.subjective_share !== null && s.subjective_share !== undefined) {
      rows.push(['Subjective', percent(s.subjective_share), 'Share of sentences scored subjective.']);
    }
    // The outlet's record: its rating and, for state and public media, who owns or funds it.
    const outlet = claims.outlet;
    const media = outlet && outlet.state_media;
    if (outlet && (outlet.profile || media)) {
      const parts = [];
      if (outlet.profile) parts.push(`factuality ${outlet.profile.factuality}, bias ${outlet.profile.bias} (MBFC)`);
      if (media) parts.push(`${media.name} (${media.country}), ${media.affiliation}: ${media.owner}`);
      rows.push(['Outlet', parts.join('; '), media ? `Ownership and state affiliation. Source: ${media.source}` : 'The outlet\'s MBFC rating.']);
    }
    for (const [term, value, help] of rows) {
      summaryBox.append(el('dt', { title: help }, term), el('dd', {}, value));
    }
    $('claims-basis').textContent = claims.basis === 'checkworthy'
      ? 'Claims are the sentences a classifier scored check-worthy. Press one to find it in the article.'
      : 'Claims are declarative sentences (no check-worthiness classifier ran). Press one to find it in the article.';
    const shown = claims.sentences.filter((sc) => sc.claim || sc.insinuation);
    for (const sc of shown) {
      const sentence = state.doc.sentences[sc.sentence];
      if (!sentence) continue;
      const button = el('button', { type: 'button', class: 'claim-item', 'data-sentence': String(sc.sentence), 'aria-pressed': 'false' });
      const head = el('span', { class: 'claim-head' });
      head.append(el('span', { class: 'claim-n' }, `Sentence ${sc.sentence + 1}`), sourceBadge(sc));
      for (const hedge of sc.hedges) head.append(el('span', { class: 'badge hedge' }, `hedged: ${hedge.text}`));
      if (sc.insinuation) head.append(el('span', { class: 'badge insinuation' }, `insinuation: ${sc.insinuation.text}`));
      if (sc.checkworthy !== null && sc.checkworthy !== undefined) {
        head.append(el('span', { class: 'score' }, `check-worthy ${percent(sc.checkworthy)}`));
      }
      if (sc.subjective !== null && sc.subjective !== undefined) {
        head.append(el('span', { class: 'score' }, `subjective ${percent(sc.subjective)}`));
      }
      const words = sentence.text.split(/\s+/).filter(Boolean).join(' ');
      const body = [...words].length > 160 ? `${[...words].slice(0, 159).join('')}…` : words;
      button.append(head, el('span', { class: 'claim-text' }, body));
      list.append(el('li', {}));
      list.lastChild.append(button);
    }
    if (!shown.length) list.append(el('li', { class: 'hint' }, 'No claim found.'));
  }

  // Named speaker, vague source or the "unattributed" badge.
  function sourceBadge(sc) {
    const source = sc.source;
    const carried = source.carried_from !== null && source.carried_from !== undefined
      ? ` (from sentence ${source.carried_from + 1})` : '';
    if (source.kind === 'named') return el('span', { class: 'source named' }, `Named: ${source.speaker || 'someone'}${carried}`);
    if (source.kind === 'vague') {
      return el('span', { class: 'source vague' }, source.speaker ? `Vague: ${source.speaker}${carried}` : 'Vague source');
    }
    if (sc.unattributed) return el('span', { class: 'badge unattributed', title: 'A claim that rests on no source.' }, 'unattributed');
    return el('span', { class: 'source none' }, 'No source');
  }

  function onClaimClick(event) {
    const button = event.target.closest('button.claim-item');
    if (!button) return;
    const index = Number(button.dataset.sentence);
    state.focus = state.focus === index ? null : index;
    for (const b of document.querySelectorAll('button.claim-item')) {
      b.setAttribute('aria-pressed', String(Number(b.dataset.sentence) === state.focus));
    }
    renderArticle();
    const first = document.querySelector('#article .sentence-focus');
    if (first) first.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }

  // Spans above the slider, technique not hidden, with their index in doc.spans.
  function visibleSpans() {
    const out = [];
    state.doc.spans.forEach((span, i) => {
      if (span.confidence >= state.min && !state.hidden.has(span.technique)) out.push({ span, i });
    });
    return out;
  }

  function render() {
    renderLegend();
    renderChart();
    renderArticle();
  }

  function countsAboveMin() {
    const counts = new Map();
    for (const span of state.doc.spans) {
      if (span.confidence >= state.min) counts.set(span.technique, (counts.get(span.technique) || 0) + 1);
    }
    return counts;
  }

  function renderLegend() {
    const counts = countsAboveMin();
    const legend = $('legend');
    legend.replaceChildren();
    for (const entry of state.doc.techniques) {
      const shown = !state.hidden.has(entry.label);
      const button = el('button', {
        type: 'button',
        class: 'legend-item',
        'data-technique': entry.label,
        'aria-pressed': String(shown),
        title: entry.definition,
      });
      const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = colour(entry.label);
      const n = counts.get(entry.label) || 0;
      const count = n === entry.count ? String(n) : `${n} of ${entry.count}`;
      button.append(swatch, el('span', { class: 'name' }, entry.name), el('span', { class: 'count' }, count));
      legend.append(el('li', {}));
      legend.lastChild.append(button);
    }
    if (!state.doc.techniques.length) legend.append(el('li', { class: 'hint' }, 'No technique found.'));
  }

  function renderChart() {
    const counts = countsAboveMin();
    const chart = $('chart');
    chart.replaceChildren();
    const entries = state.doc.techniques.map((t) => [t, counts.get(t.label) || 0]);
    const max = Math.max(1, ...entries.map(([, n]) => n));
    for (const [entry, n] of entries) {
      const row = el('div', { class: 'bar-row' });
      const bar = el('div', { class: 'bar', role: 'img', 'aria-label': `${entry.name}: ${n}` });
      bar.style.width = `${(100 * n) / max}%`;
      bar.style.background = colour(entry.label);
      row.append(el('span', { class: 'bar-label' }, entry.name), el('div', { class: 'bar-track' }), el('span', { class: 'bar-n' }, String(n)));
      row.children[1].append(bar);
      chart.append(row);
    }
  }

  // The text cut at every span boundary; each piece covered by spans becomes a <mark> coloured
  // by its techniques (stripes where several overlap) and deeper underlines where spans nest.
  // The sentence of a pressed claim is cut out too, its pieces wrapped in .sentence-focus.
  function renderArticle() {
    const text = state.doc.text;
    const toUnit = state.units;
    const spans = visibleSpans();
    const starts = new Map();
    const ends = new Map();
    const cuts = new Set([0, text.length]);
    const focused = state.focus === null ? null : state.doc.sentences[state.focus];
    const focus = focused ? [toUnit(focused.start), toUnit(focused.end)] : null;
    if (focus) {
      cuts.add(focus[0]);
      cuts.add(focus[1]);
    }
    for (const entry of spans) {
      const start = toUnit(entry.span.start);
      const end = toUnit(entry.span.end);
      if (end <= start) continue;
      cuts.add(start);
      cuts.add(end);
      if (!starts.has(start)) starts.set(start, []);
      starts.get(start).push(entry);
      if (!ends.has(end)) ends.set(end, []);
      ends.get(end).push(entry);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const active = new Map();
    const fragment = document.createDocumentFragment();
    for (let k = 0; k + 1 < points.length; k++) {
      const at = points[k];
      for (const entry of ends.get(at) || []) active.delete(entry.i);
      for (const entry of starts.get(at) || []) active.set(entry.i, entry.span);
      const piece = text.slice(at, points[k + 1]);
      const node = active.size === 0 ? document.createTextNode(piece) : mark(piece, active);
      if (focus && focus[0] <= at && points[k + 1] <= focus[1]) {
        const wrap = el('span', { class: 'sentence-focus', 'data-sentence': String(state.focus) });
        wrap.append(node);
        fragment.append(wrap);
      } else {
        fragment.append(node);
      }
    }
    $('article').replaceChildren(fragment);
  }

  function mark(piece, active) {
    const ids = [...active.keys()];
    const labels = [...new Set([...active.values()].map((s) => s.technique))];
    const names = [...new Set([...active.values()].map((s) => s.name))];
    const node = el('mark', {
      tabindex: '0',
      role: 'button',
      'data-spans': ids.join(' '),
      'data-techniques': labels.join('|'),
      'aria-label': `${names.join(', ')}: ${piece}`,
      class: `depth-${Math.min(active.size, 3)}`,
    });
    node.textContent = piece;
    if (labels.length === 1) {
      node.style.background = colour(labels[0]);
    } else {
      const stops = labels.map((l, j) => `${colour(l)} ${j * 6}px ${(j + 1) * 6}px`);
      node.style.background = `repeating-linear-gradient(135deg, ${stops.join(', ')})`;
    }
    return node;
  }

  function showDetails(markNode) {
    const box = $('details');
    box.replaceChildren();
    for (const id of markNode.dataset.spans.split(' ')) {
      const span = state.doc.spans[Number(id)];
      if (!span) continue;
      const entry = state.doc.techniques.find((t) => t.label === span.technique);
      const card = el('div', { class: 'card' });
      const title = el('h3', {});
      const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = colour(span.technique);
      title.append(swatch, document.createTextNode(`${span.name} · ${percent(span.confidence)} confidence`));
      card.append(title, el('blockquote', {}, span.text));
      if (entry) {
        card.append(el('p', {}, entry.definition), el('p', { class: 'why' }, entry.why_it_matters));
      }
      box.append(card);
    }
  }

  function onArticleEvent(event) {
    const target = event.target.closest && event.target.closest('mark');
    if (!target) return;
    if (event.type === 'keydown' && event.key !== 'Enter' && event.key !== ' ') return;
    if (event.type === 'keydown') event.preventDefault();
    for (const selected of document.querySelectorAll('mark.selected')) selected.classList.remove('selected');
    if (event.type !== 'mouseover') target.classList.add('selected');
    showDetails(target);
  }

  function onLegendClick(event) {
    const button = event.target.closest('button.legend-item');
    if (!button) return;
    const label = button.dataset.technique;
    if (state.hidden.has(label)) state.hidden.delete(label);
    else state.hidden.add(label);
    render();
    const again = [...document.querySelectorAll('button.legend-item')].find((b) => b.dataset.technique === label);
    if (again) again.focus();
  }

  let pending = 0;
  function onSlider() {
    state.min = Number($('confidence').value);
    $('confidence-value').textContent = percent(state.min);
    // Redraw at most once per frame while the slider moves.
    if (pending) return;
    pending = requestAnimationFrame(() => {
      pending = 0;
      if (state.doc) render();
    });
  }

  const EXPORTS = {
    json: { ext: 'json', type: 'application/json' },
    labelstudio: { ext: 'labelstudio.json', type: 'application/json' },
    brat: { ext: 'ann', type: 'text/plain' },
  };

  async function onExport(event) {
    const format = event.currentTarget.dataset.format;
    if (!state.doc) return;
    const spec = EXPORTS[format];
    if (!state.request) {
      // A stored document from the corpus: its JSON is here; other formats need an analysis.
      if (format !== 'json' || state.min > 0) {
        setStatus('A stored document exports as JSON only; paste its text and analyse it for other formats or a confidence cut.', true);
        return;
      }
      download(state.raw, `unspin-${String(state.doc.id).replace(/[^A-Za-z0-9_.-]/g, '_') || 'document'}.json`, spec.type);
      setStatus('Exported json.');
      return;
    }
    try {
      // The JSON already here is the export when nothing is filtered out.
      const body = format === 'json' && state.min === 0
        ? state.raw
        : await send(state.request, state.min > 0 ? { format, min_confidence: String(state.min) } : { format });
      const id = String(state.doc.id).replace(/[^A-Za-z0-9_.-]/g, '_') || 'document';
      download(body, `unspin-${id}.${spec.ext}`, spec.type);
      setStatus(`Exported ${format}.`);
    } catch (err) {
      setStatus(`Could not export: ${err.message}`, true);
    }
  }

  function download(text, name, type) {
    const link = el('a', { download: name });
    link.href = URL.createObjectURL(new Blob([text], { type }));
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }


  // ---- The corpus view (serve --db) ----
  const corpus = { info: null, sort: 'date', order: 'desc', offset: 0, limit: 25, charts: {}, seq: 0 };
  // MBFC factual-reporting levels in the shipped ratings, lowest first (the scatter's y axis).
  const FACTUALITY = ['low', 'mixed', 'high'];
  const MAX_OUTLETS = 15; // bars
  const MAX_LINES = 8; // outlets drawn as lines

  async function getJson(path) {
    return JSON.parse(await bodyOf(await fetch(path)));
  }

  function corpusStatus(message, isError) {
    const status = $('corpus-status');
    status.textContent = message;
    status.classList.toggle('error', Boolean(isError));
  }

  // The filters as query parameters, shared by every request of the view.
  function corpusParams(extra) {
    const params = new URLSearchParams(extra || {});
    for (const [id, name] of [['corpus-outlet', 'outlet'], ['corpus-technique', 'technique'], ['corpus-since', 'since'], ['corpus-until', 'until']]) {
      const value = $(id).value;
      if (value) params.set(name, value);
    }
    return params;
  }

  function showView(name) {
    const inCorpus = name === 'corpus';
    $('corpus').hidden = !inCorpus;
    $('input').hidden = inCorpus;
    $('results').hidden = inCorpus || !state.doc;
    $('view-corpus').setAttribute('aria-pressed', String(inCorpus));
    $('view-article').setAttribute('aria-pressed', String(!inCorpus));
    if (inCorpus && !corpus.loaded) loadCorpus();
    const hash = inCorpus ? '#corpus' : '';
    if (window.location.hash !== hash) history.replaceState(null, '', hash || window.location.pathname);
  }

  function fillSelect(id, values, label) {
    const select = $(id);
    for (const value of values) select.append(el('option', { value }, label ? label(value) : value));
  }

  async function initCorpus() {
    let info;
    try {
      info = await getJson('/v1/corpus');
    } catch (_) {
      return; // No database: the page is the article view alone.
    }
    corpus.info = info;
    $('views').hidden = false;
    $('corpus-about').textContent = `${info.documents} documents (${info.errors} could not be read) in ${info.database}` +
      `${info.models.length ? `, analysed by ${info.models.join(', ')}` : ''}.`;
    fillSelect('corpus-outlet', info.outlets);
    fillSelect('corpus-technique', info.techniques, (t) => t.replace(/_/g, ' '));
    fillSelect('corpus-since', info.months);
    fillSelect('corpus-until', info.months);
    if (window.location.hash === '#corpus') showView('corpus');
  }

  // Charts and the first page of documents, for the current filters. A newer call wins: an
  // answer to an older one is dropped.
  async function loadCorpus() {
    corpus.loaded = true;
    corpus.offset = 0;
    const seq = ++corpus.seq;
    corpusStatus('Loading…');
    try {
      const [byOutlet, byOutletMonth] = await Promise.all([
        getJson(`/v1/corpus/trends?${corpusParams({ by: 'outlet' })}`),
        getJson(`/v1/corpus/trends?${corpusParams({ by: 'outlet,month' })}`),
      ]);
      if (seq !== corpus.seq) return;
      drawCharts(byOutlet.rows, byOutletMonth.rows);
      await loadDocuments(seq);
      if (seq === corpus.seq) corpusStatus('');
    } catch (err) {
      if (seq === corpus.seq) corpusStatus(`Could not read the corpus: ${err.message}`, true);
    }
  }

  // The measure charted: the chosen technique's rate, or all spans per 1,000 words.
  function rateOf(row) {
    const technique = $('corpus-technique').value;
    return technique ? (row.technique_rates[technique] || 0) : row.spans_per_1k_words;
  }

  function chart(id, config) {
    if (corpus.charts[id]) corpus.charts[id].destroy();
    if (typeof window.Chart !== 'function') {
      corpusStatus('The chart library did not load; the table below still works.', true);
      return;
    }
    corpus.charts[id] = new window.Chart($(id), config);
  }

  function drawCharts(outletRows, monthRows) {
    const rated = outletRows.filter((r) => r.outlet);
    const top = [...rated].sort((a, b) => b.documents - a.documents || a.outlet.localeCompare(b.outlet)).slice(0, MAX_OUTLETS);
    const techniques = Object.keys(COLOURS).filter((t) => top.some((r) => (r.technique_rates[t] || 0) > 0));
    chart('chart-outlets', {
      type: 'bar',
      data: {
        labels: top.map((r) => r.outlet),
        datasets: techniques.map((t) => ({
          label: t.replace(/_/g, ' '),
          data: top.map((r) => r.technique_rates[t] || 0),
          backgroundColor: colour(t),
          borderColor: '#555',
          borderWidth: 0.5,
        })),
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'spans per 1,000 words' } } },
        plugins: { legend: { position: 'right' } },
      },
    });

    const technique = $('corpus-technique').value;
    $('chart-months-caption').textContent = `${technique ? technique.replace(/_/g, ' ') : 'All techniques'}: rate per month, by outlet (press an outlet to show or hide it)`;
    const months = [...new Set(monthRows.map((r) => r.month).filter(Boolean))].sort();
    const lineOutlets = top.slice(0, MAX_LINES).map((r) => r.outlet);
    const palette = ['#2251a3', '#c0392b', '#27864a', '#8e44ad', '#d35400', '#16a085', '#7f8c8d', '#b7950b'];
    chart('chart-months', {
      type: 'line',
      data: {
        labels: months,
        datasets: lineOutlets.map((outlet, i) => ({
          label: outlet,
          data: months.map((m) => {
            const row = monthRows.find((r) => r.outlet === outlet && r.month === m);
            return row ? rateOf(row) : null;
          }),
          borderColor: palette[i % palette.length],
          backgroundColor: palette[i % palette.length],
          spanGaps: false,
          tension: 0,
        })),
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: 'spans per 1,000 words' } } },
      },
    });

    const points = rated.filter((r) => FACTUALITY.includes(r.factuality));
    chart('chart-factuality', {
      type: 'scatter',
      data: {
        datasets: [{
          label: 'rated outlets',
          data: points.map((r) => ({ x: rateOf(r), y: FACTUALITY.indexOf(r.factuality), outlet: r.outlet })),
          backgroundColor: '#2251a3',
          pointRadius: 5,
        }],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { beginAtZero: true, title: { display: true, text: 'spans per 1,000 words' } },
          y: {
            min: -0.5,
            max: FACTUALITY.length - 0.5,
            // One tick per level, on the level (not the axis's own round numbers).
            afterBuildTicks: (axis) => { axis.ticks = FACTUALITY.map((_, i) => ({ value: i })); },
            ticks: { callback: (v) => FACTUALITY[v] || '' },
            title: { display: true, text: 'factuality' },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (c) => `${c.raw.outlet}: ${c.raw.x.toFixed(1)} per 1k words, ${FACTUALITY[c.raw.y]} factuality` } },
        },
      },
    });
    if (!points.length) corpusStatus('No outlet in this corpus has a factuality rating: the scatter is empty.');
  }

  async function loadDocuments(seq) {
    const page = await getJson(`/v1/corpus/documents?${corpusParams({ sort: corpus.sort, order: corpus.order, limit: String(corpus.limit), offset: String(corpus.offset) })}`);
    if (seq !== undefined && seq !== corpus.seq) return;
    const body = $('documents').tBodies[0];
    body.replaceChildren(...page.documents.map((d) => {
      const row = el('tr', { tabindex: '0', 'data-id': String(d.id), title: d.has_report ? 'Open the stored analysis' : 'Stored before reports were kept: run `unspin index --reanalyze`' });
      const cells = [
        [d.date ? d.date.slice(0, 10) : '', ''],
        [d.outlet || '', ''],
        [d.title || d.doc_id, ''],
        [String(d.words), 'num'],
        [String(d.spans), 'num'],
        [d.spans_per_1k_words.toFixed(1), 'num'],
        [String(d.claims), 'num'],
        [d.claims ? percent(d.unattributed / d.claims) : '', 'num'],
      ];
      row.append(...cells.map(([text, cls]) => el('td', cls ? { class: cls } : {}, text)));
      return row;
    }));
    for (const th of $('documents').tHead.rows[0].cells) {
      const key = th.querySelector('button').dataset.sort;
      if (key === corpus.sort) th.setAttribute('aria-sort', corpus.order === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    const first = page.total ? page.offset + 1 : 0;
    const last = page.offset + page.documents.length;
    $('documents-count').textContent = `(${page.total})`;
    $('documents-page').textContent = `${first}–${last} of ${page.total}`;
    $('documents-prev').disabled = page.offset === 0;
    $('documents-next').disabled = last >= page.total;
  }

  async function turnPage(delta) {
    corpus.offset = Math.max(0, corpus.offset + delta * corpus.limit);
    try {
      await loadDocuments();
    } catch (err) {
      corpusStatus(`Could not list the documents: ${err.message}`, true);
    }
  }

  function onSortClick(event) {
    const button = event.target.closest('button[data-sort]');
    if (!button) return;
    const key = button.dataset.sort;
    // The same column again turns the order round; a new one starts high to low (text A to Z).
    corpus.order = key === corpus.sort ? (corpus.order === 'asc' ? 'desc' : 'asc') : (['outlet', 'title'].includes(key) ? 'asc' : 'desc');
    corpus.sort = key;
    corpus.offset = 0;
    turnPage(0);
  }

  async function openStored(id) {
    corpusStatus('Opening…');
    try {
      const body = await bodyOf(await fetch(`/v1/corpus/documents/${encodeURIComponent(id)}`));
      state.request = null;
      state.raw = body;
      state.result = JSON.parse(body);
      state.hidden.clear();
      showView('article');
      showResult();
      corpusStatus('');
      setStatus('The stored analysis, from the corpus database (not analysed again).');
      $('results').focus();
    } catch (err) {
      corpusStatus(`Could not open the document: ${err.message}`, true);
    }
  }

  function onDocumentRow(event) {
    if (event.type === 'keydown' && event.key !== 'Enter') return;
    const row = event.target.closest('tr[data-id]');
    if (row) openStored(row.dataset.id);
  }

  // Filling one kind of input clears the others, so what is analysed is never ambiguous.
  // Emptying one clears nothing (a textarea emptied fires its change only on blur, possibly
  // after a file was chosen).
  function onInputChange(event) {
    if (!event.target.value) return;
    if (event.target.id !== 'file' && $('file').value) $('file').value = '';
    if (event.target.id !== 'url' && $('url').value) $('url').value = '';
    if (event.target.id !== 'text' && $('text').value) $('text').value = '';
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('input').addEventListener('submit', analyse);
    for (const id of ['text', 'file', 'url']) $(id).addEventListener('change', onInputChange);
    const article = $('article');
    for (const type of ['click', 'keydown', 'mouseover']) article.addEventListener(type, onArticleEvent);
    $('legend').addEventListener('click', onLegendClick);
    $('claims').addEventListener('click', onClaimClick);
    $('confidence').addEventListener('input', onSlider);
    $('doc-select').addEventListener('change', (e) => showDocument(Number(e.target.value)));
    for (const button of document.querySelectorAll('.exports button')) button.addEventListener('click', onExport);
    $('view-article').addEventListener('click', () => showView('article'));
    $('view-corpus').addEventListener('click', () => showView('corpus'));
    $('corpus-filters').addEventListener('change', loadCorpus);
    $('documents').tHead.addEventListener('click', onSortClick);
    for (const type of ['click', 'keydown']) $('documents').tBodies[0].addEventListener(type, onDocumentRow);
    $('documents-prev').addEventListener('click', () => turnPage(-1));
    $('documents-next').addEventListener('click', () => turnPage(1));
    window.addEventListener('hashchange', () => {
      if (corpus.info) showView(window.location.hash === '#corpus' ? 'corpus' : 'article');
    });
    initCorpus();
  });
})();
