// The unspin page: sends the input to /v1/analyze and shows the answer.
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
    const response = await fetch(`/v1/analyze${query ? `?${query}` : ''}`, init);
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
    if (!state.request) return;
    const spec = EXPORTS[format];
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
  });
})();
