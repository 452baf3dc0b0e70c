// The CodeGraphRag search page. It holds no data of its own: every request goes to the codegraphrag.v1 API's HTTP/JSON
// routes (/v1/...) with the caller's credentials, so authentication, repository ACLs and the audit log are the server's.
// All text from the server is inserted as text (never as HTML).
'use strict';

(() => {
  const MODES = { 'hybrid+graph': 'SEARCH_MODE_HYBRID_GRAPH', hybrid: 'SEARCH_MODE_HYBRID', dense: 'SEARCH_MODE_DENSE', lexical: 'SEARCH_MODE_LEXICAL' };
  // What each relation draws: every relation is an edge the way the code points (caller -> callee, member -> type,
  // derived -> base, importer -> imported), so a call seen from either end is one edge.
  const EDGES = {
    calls: { label: 'calls', color: '#1a7f37' },
    member: { label: 'member of', color: '#8250df' },
    imports: { label: 'imports', color: '#bf8700' },
    extends: { label: 'extends', color: '#cf222e' },
  };
  const RELATIONS = {
    RELATION_CALLER: { label: 'caller', edge: 'calls', inward: true },
    RELATION_CALLEE: { label: 'callee', edge: 'calls', inward: false },
    RELATION_PARENT: { label: 'parent', edge: 'member', inward: false },
    RELATION_IMPORTS: { label: 'imports', edge: 'imports', inward: false },
    RELATION_BASE_TYPE: { label: 'base type', edge: 'extends', inward: false },
    RELATION_DERIVED_TYPE: { label: 'derived type', edge: 'extends', inward: true },
  };
  const RUNNING = new Set(['SYNC_PHASE_SCANNING', 'SYNC_PHASE_INDEXING', 'SYNC_PHASE_REMOVING', 'SYNC_PHASE_WAITING_FOR_EMBEDDER', 'SYNC_PHASE_EMBEDDING']);
  const SNIPPET_LINES = 24;
  const CREDENTIAL_KEY = 'cgr.credential';

  const $ = (id) => document.getElementById(id);

  // ---- DOM helpers: text only ----
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function showError(message) {
    const box = $('error');
    box.textContent = message || '';
    box.hidden = !message;
  }

  // ---- the API ----
  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  function credentialHeaders() {
    const credential = sessionStorage.getItem(CREDENTIAL_KEY);
    if (!credential) return {};
    // A JWT is three base64url parts; anything else is an API key.
    return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(credential) ? { authorization: 'Bearer ' + credential } : { 'x-api-key': credential };
  }

  async function api(method, path, params, body) {
    const url = new URL(path, location.origin);
    for (const [key, value] of Object.entries(params || {})) {
      if (value === undefined || value === null || value === '') continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, item);
    }
    const init = { method, headers: { accept: 'application/json', ...credentialHeaders() } };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : {}; } catch { json = null; }
    if (response.status === 401) {
      $('credentials').hidden = false;
      $('credentials-button').hidden = false;
      throw new ApiError(401, sessionStorage.getItem(CREDENTIAL_KEY)
        ? 'The server rejected these credentials: enter another API key or JWT.'
        : 'This server needs credentials: enter an API key or a JWT above.');
    }
    if (!response.ok) {
      throw new ApiError(response.status, (json && json.message) || `${method} ${url.pathname} failed: HTTP ${response.status}`);
    }
    return json || {};
  }

  // ---- URL state ----
  function readUrl() {
    const p = new URLSearchParams(location.search);
    return {
      q: p.get('q') || '', repo: p.get('repo') || '', mode: p.get('mode') || 'hybrid+graph',
      lang: p.get('lang') || '', path: p.get('path') || '', cls: p.get('class') || '', top: p.get('top') || '',
    };
  }

  function formState() {
    return {
      q: $('q').value.trim(), repo: $('repo').value, mode: $('mode').value,
      lang: $('lang').value.trim(), path: $('path').value.trim(), cls: $('class').value, top: $('top').value,
    };
  }

  function stateUrl(state) {
    const p = new URLSearchParams();
    p.set('q', state.q);
    if (state.repo) p.set('repo', state.repo);
    if (state.mode && state.mode !== 'hybrid+graph') p.set('mode', state.mode);
    if (state.lang) p.set('lang', state.lang);
    if (state.path) p.set('path', state.path);
    if (state.cls) p.set('class', state.cls);
    if (state.top && state.top !== '10') p.set('top', state.top);
    return '/?' + p.toString();
  }

  function fillForm(state) {
    $('q').value = state.q;
    ensureRepoOption(state.repo);
    $('repo').value = state.repo;
    $('mode').value = MODES[state.mode] ? state.mode : 'hybrid+graph';
    $('lang').value = state.lang;
    $('path').value = state.path;
    $('class').value = state.cls;
    $('top').value = state.top || '10';
  }

  function ensureRepoOption(name) {
    if (!name) return;
    const select = $('repo');
    if (![...select.options].some((o) => o.value === name)) select.append(el('option', { value: name, text: name }));
  }

  // ---- search ----
  let searchSerial = 0;

  function queryTerms(query) {
    const terms = new Set();
    for (const word of query.split(/\s+/)) {
      if (/^-?\w+:/.test(word)) continue; // inline filters (repo:, lang:, path:, kind:)
      for (const part of word.match(/[A-Za-z0-9_]+/g) || []) {
        if (part.length >= 2) terms.add(part.toLowerCase());
        // Identifier parts too (validateToken -> validate, token), as the lexical index splits them.
        for (const piece of part.split(/_|(?<=[a-z0-9])(?=[A-Z])/)) if (piece.length >= 3) terms.add(piece.toLowerCase());
      }
    }
    return [...terms].sort((a, b) => b.length - a.length);
  }

  function highlighted(text, pattern) {
    const span = el('span', { class: 'src' });
    if (!pattern) { span.textContent = text; return span; }
    let last = 0;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      if (m[0].length === 0) { pattern.lastIndex++; continue; }
      if (m.index > last) span.append(text.slice(last, m.index));
      span.append(el('mark', { text: m[0] }));
      last = m.index + m[0].length;
    }
    if (last < text.length) span.append(text.slice(last));
    return span;
  }

  function codeBlock(text, startLine, pattern, limit) {
    const lines = (text || '').replace(/\n$/, '').split('\n');
    const pre = el('pre', { class: 'code' });
    const render = (count) => {
      pre.replaceChildren(...lines.slice(0, count).map((line, i) =>
        el('div', { class: 'line' }, el('span', { class: 'ln', text: String((startLine || 1) + i) }), highlighted(line, pattern))));
    };
    render(limit ? Math.min(limit, lines.length) : lines.length);
    if (!limit || lines.length <= limit) return [pre];
    const more = el('button', { type: 'button', class: 'link more', text: `Show all ${lines.length} lines` });
    more.addEventListener('click', () => { render(lines.length); more.remove(); });
    return [pre, more];
  }

  function where(item) {
    const lines = item.startLine ? `:${item.startLine}-${item.endLine || item.startLine}` : '';
    return `${item.path}${lines}`;
  }

  async function search(state) {
    const serial = ++searchSerial;
    showError('');
    document.title = state.q ? `${state.q} - CodeGraphRag` : 'CodeGraphRag';
    const results = $('results');
    results.replaceChildren();
    if (!state.q) { $('summary').textContent = ''; return; }
    $('summary').textContent = 'Searching…';
    const params = {
      query: state.q, mode: MODES[state.mode] || MODES['hybrid+graph'], topK: state.top || 10,
      'filters.repositories': state.repo ? state.repo.split(',') : [],
      'filters.languages': state.lang ? state.lang.split(',').map((s) => s.trim()).filter(Boolean) : [],
      'filters.pathGlob': state.path, 'filters.fileClasses': state.cls ? [state.cls] : [],
    };
    let response;
    try {
      response = await api('GET', '/v1/search', params);
    } catch (error) {
      if (serial !== searchSerial) return;
      $('summary').textContent = '';
      showError(error.message);
      return;
    }
    if (serial !== searchSerial) return;
    const hits = response.hits || [];
    const seconds = parseFloat(response.latency || '0');
    $('summary').textContent = hits.length
      ? `${hits.length} result${hits.length === 1 ? '' : 's'} in ${Math.round(seconds * 1000)} ms (${state.mode})`
      : `No code matched “${state.q}”.`;
    const terms = queryTerms(state.q);
    const pattern = terms.length ? new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi') : null;
    results.replaceChildren(...hits.map((hit) => hitCard(hit, response.queryId, pattern)));
  }

  function hitCard(hit, queryId, pattern) {
    const li = el('li', { class: 'hit', 'data-chunk-id': hit.chunkId });
    const head = el('div', { class: 'hit-head' },
      el('span', { class: 'hit-rank', text: '#' + (hit.rank || '') }),
      el('span', { class: 'hit-path', text: where(hit) }),
      hit.symbol ? el('span', { class: 'hit-symbol', text: hit.symbol }) : null,
      el('span', { class: 'badge', text: hit.repository }),
      hit.kind ? el('span', { class: 'badge', text: hit.kind }) : null,
      hit.fileClass ? el('span', { class: 'badge', text: hit.fileClass }) : null,
      hit.language ? el('span', { class: 'badge', text: hit.language }) : null,
      el('span', { class: 'badge', title: 'score', text: (hit.score || 0).toFixed(3) }));
    li.append(head, ...codeBlock(hit.text, hit.startLine, pattern, SNIPPET_LINES));

    const related = hit.related || [];
    const relatedList = el('ul', { class: 'related', hidden: true });
    const relatedButton = el('button', {
      type: 'button', class: 'related-toggle', 'aria-expanded': 'false', disabled: related.length === 0,
      text: related.length ? `Related code (${related.length})` : 'No related code',
    });
    relatedButton.addEventListener('click', () => {
      const open = relatedList.hidden;
      relatedList.hidden = !open;
      relatedButton.setAttribute('aria-expanded', String(open));
      if (open && !relatedList.childElementCount) relatedList.append(...related.map(relatedItem));
    });

    const graphButton = el('button', { type: 'button', class: 'graph-open', text: 'Graph' });
    graphButton.addEventListener('click', () => openGraph({ repository: hit.repository, path: hit.path, symbol: hit.symbol || '' }));

    const thanks = el('span', { class: 'thanks', 'aria-live': 'polite' });
    const vote = (value, label, text) => {
      const button = el('button', { type: 'button', class: 'vote', 'aria-pressed': 'false', 'aria-label': label, title: label, 'data-vote': value, text });
      button.addEventListener('click', async () => {
        try {
          await api('POST', '/v1/feedback', undefined, { queryId, resultId: hit.chunkId, vote: value });
          for (const b of li.querySelectorAll('.vote')) b.setAttribute('aria-pressed', String(b === button));
          thanks.textContent = 'Thanks, noted.';
        } catch (error) {
          showError(error.message);
        }
      });
      return button;
    };
    li.append(relatedList, el('div', { class: 'hit-actions' }, relatedButton, graphButton, el('span', { class: 'spacer' }),
      vote('VOTE_UP', 'Relevant', '▲ Relevant'), vote('VOTE_DOWN', 'Not relevant', '▼ Not relevant'), thanks));
    return li;
  }

  function relatedItem(item) {
    const relation = RELATIONS[item.relation] || { label: 'related' };
    const li = el('li', {});
    const open = el('button', { type: 'button', class: 'link', text: `${where(item)}${item.symbol ? '  ' + item.symbol : ''}` });
    const code = el('div', {});
    open.addEventListener('click', async () => {
      if (code.childElementCount) { code.replaceChildren(); return; }
      code.replaceChildren(el('span', { class: 'hint', text: 'Loading…' }));
      try {
        code.replaceChildren(...(await symbolCode(item)));
      } catch (error) {
        code.replaceChildren(el('span', { class: 'error', text: error.message }));
      }
    });
    li.append(el('span', { class: 'relation', text: relation.label }), el('span', { class: 'badge', text: item.repository }), ' ', open, code);
    return li;
  }

  async function symbolCode(ref) {
    const response = await api('GET', '/v1/symbols/code', {
      'symbol.repository': ref.repository, 'symbol.path': ref.path, 'symbol.symbol': ref.symbol || '',
    });
    const chunks = response.chunks || [];
    if (!chunks.length) return [el('span', { class: 'hint', text: 'No indexed code for this symbol.' })];
    return chunks.flatMap((c) => codeBlock(c.text, c.startLine, null, 0));
  }

  // ---- graph view (cytoscape) ----
  let graph = null;
  const expanded = new Set();

  const nodeId = (ref) => `${ref.repository}\u0000${ref.path}\u0000${ref.symbol || ''}`;
  const nodeLabel = (ref) => ref.symbol ? ref.symbol.split(/[.:#/]/).filter(Boolean).pop() : ref.path.split('/').pop();

  function openGraph(ref) {
    if (typeof cytoscape !== 'function') { showError('The graph view could not load (cytoscape missing).'); return; }
    $('graph-panel').hidden = false;
    $('graph-title').textContent = `${ref.symbol || ref.path} (${ref.repository})`;
    $('graph-legend').replaceChildren(...Object.values(EDGES).map((e) => el('span', {}, el('i', { 'data-color': e.color }), e.label)));
    for (const dot of $('graph-legend').querySelectorAll('i')) dot.style.background = dot.dataset.color;
    $('graph-code').replaceChildren(el('p', { class: 'hint', text: 'Click a node to open its code and expand its neighbours.' }));
    expanded.clear();
    if (graph) graph.destroy();
    graph = cytoscape({
      container: $('graph'),
      minZoom: 0.2,
      maxZoom: 1.5,
      style: [
        { selector: 'node', style: { label: 'data(label)', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4, 'background-color': '#8c959f', width: 18, height: 18 } },
        { selector: 'node.root', style: { 'background-color': '#1f3a5f', width: 26, height: 26, 'font-weight': 'bold' } },
        { selector: 'node.expanded', style: { 'border-width': 2, 'border-color': '#1f6feb' } },
        { selector: 'node:selected', style: { 'background-color': '#fb8500' } },
        { selector: 'edge', style: { width: 1.5, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': 'data(color)', 'target-arrow-color': 'data(color)', label: 'data(label)', 'font-size': 9, color: '#5b6572', 'text-rotation': 'autorotate' } },
      ],
    });
    graph.add({ group: 'nodes', data: { id: nodeId(ref), label: nodeLabel(ref), ref }, classes: 'root' });
    graph.on('tap', 'node', (event) => selectNode(event.target));
    selectNode(graph.getElementById(nodeId(ref)));
  }

  function closeGraph() {
    $('graph-panel').hidden = true;
    if (graph) { graph.destroy(); graph = null; }
  }

  async function selectNode(node) {
    const ref = node.data('ref');
    graph.elements().unselect();
    node.select();
    const code = $('graph-code');
    code.replaceChildren(el('h2', { text: `${ref.symbol || '(top level)'}  ${ref.path}` }), el('span', { class: 'hint', text: 'Loading…' }));
    const expandTask = expandNode(node);
    try {
      const blocks = await symbolCode(ref);
      code.replaceChildren(el('h2', { text: `${ref.symbol || '(top level)'}  ${ref.path}` }), ...blocks);
    } catch (error) {
      code.replaceChildren(el('span', { class: 'error', text: error.message }));
    }
    await expandTask;
  }

  async function expandNode(node) {
    const id = node.id();
    if (expanded.has(id)) return;
    expanded.add(id);
    const ref = node.data('ref');
    let response;
    try {
      response = await api('GET', '/v1/symbols/neighbors', {
        'symbol.repository': ref.repository, 'symbol.path': ref.path, 'symbol.symbol': ref.symbol || '', depth: 1,
      });
    } catch (error) {
      expanded.delete(id);
      showError(error.message);
      return;
    }
    if (!graph || graph.getElementById(id).empty()) return;
    for (const n of response.neighbors || []) {
      const neighbor = n.neighbor;
      const nid = nodeId(neighbor);
      if (graph.getElementById(nid).empty()) {
        graph.add({ group: 'nodes', data: { id: nid, label: nodeLabel(neighbor), ref: neighbor, kind: n.kind } });
      }
      const relation = RELATIONS[n.relation];
      if (!relation) continue;
      const edge = EDGES[relation.edge];
      const [source, target] = relation.inward ? [nid, id] : [id, nid];
      const eid = `${source}\u0001${target}\u0001${relation.edge}`;
      if (graph.getElementById(eid).empty()) {
        graph.add({ group: 'edges', data: { id: eid, source, target, label: edge.label, color: edge.color } });
      }
    }
    node.addClass('expanded');
    graph.layout({ name: 'cose', animate: false, randomize: false, nodeDimensionsIncludeLabels: true, padding: 30 }).run();
    $('graph').dataset.nodes = String(graph.nodes().length);
    $('graph').dataset.expanded = String(expanded.size);
  }

  // ---- repositories view ----
  let repositoriesTimer = null;

  async function showRepositories() {
    clearTimeout(repositoriesTimer);
    showError('');
    let list;
    try {
      list = (await api('GET', '/v1/repositories')).repositories || [];
    } catch (error) {
      showError(error.message);
      return;
    }
    const statuses = await Promise.all(list.map((r) => api('GET', '/v1/status', { repository: r.name }).catch((error) => ({ error }))));
    const rows = list.map((repository, i) => repositoryRow(repository, statuses[i]));
    $('repositories').tBodies[0].replaceChildren(...rows);
    const running = statuses.filter((s) => s.lastSync && RUNNING.has(s.lastSync.phase)).length;
    $('repositories-summary').textContent = `${list.length} repositor${list.length === 1 ? 'y' : 'ies'}` + (running ? `, ${running} syncing` : '');
    if (running && !$('repositories-view').hidden) repositoriesTimer = setTimeout(showRepositories, 2000);
  }

  // Chunks written but not yet embedded: searchable lexically and through the graph, not yet by dense search.
  function awaitingVectors(status) {
    const awaiting = Number(status.chunksAwaitingVectors || 0);
    return awaiting > 0 ? `, ${awaiting} chunks awaiting vectors` : '';
  }

  function repositoryRow(repository, status) {
    const sync = status.lastSync;
    const phase = sync ? (sync.phase || 'SYNC_PHASE_UNSPECIFIED').replace('SYNC_PHASE_', '').toLowerCase().replace(/_/g, ' ') : 'never synced';
    const total = sync ? (sync.filesToProcess || 0) : 0;
    const done = sync ? (sync.filesProcessed || 0) : 0;
    const bar = el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': done });
    const fill = el('div', {});
    fill.style.width = total ? `${Math.round((100 * done) / total)}%` : (sync && sync.phase === 'SYNC_PHASE_COMPLETED' ? '100%' : '0%');
    bar.append(fill);
    const searchLink = el('a', { href: '/?' + new URLSearchParams({ repo: repository.name }), 'data-nav': true, text: repository.name });
    const when = repository.lastSyncCompleted ? new Date(repository.lastSyncCompleted).toLocaleString() : '';
    return el('tr', { 'data-repository': repository.name },
      el('td', {}, searchLink),
      el('td', { class: 'mono', text: repository.source || '' }),
      el('td', { text: repository.branch || '' }),
      el('td', { class: 'phase-' + phase.split(' ')[0], text: status.error ? status.error.message : phase + (sync && sync.error ? `: ${sync.error}` : '') }),
      el('td', {}, bar, el('span', { class: 'hint', text: (sync ? `${done}/${total} files` + (sync.filesFailed ? `, ${sync.filesFailed} failed` : '') : '') + awaitingVectors(status) })),
      el('td', { text: String(status.chunks || 0) }),
      el('td', { text: String(status.symbols || 0) }),
      el('td', { text: when }));
  }

  async function loadRepositoryOptions() {
    try {
      const list = (await api('GET', '/v1/repositories')).repositories || [];
      const select = $('repo');
      const current = select.value;
      for (const r of list) ensureRepoOption(r.name);
      select.value = current;
    } catch {
      // The search itself reports errors; an empty repository list only narrows the choices.
    }
  }

  // ---- routing ----
  function route() {
    const onRepositories = location.pathname === '/repositories';
    $('search-view').hidden = onRepositories;
    $('repositories-view').hidden = !onRepositories;
    $('nav-search').removeAttribute('aria-current');
    $('nav-repositories').removeAttribute('aria-current');
    $(onRepositories ? 'nav-repositories' : 'nav-search').setAttribute('aria-current', 'page');
    closeGraph();
    if (onRepositories) {
      document.title = 'Repositories - CodeGraphRag';
      showRepositories();
    } else {
      const state = readUrl();
      fillForm(state);
      search(state);
    }
  }

  function navigate(url) {
    history.pushState(null, '', url);
    route();
  }

  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-nav]');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(link.getAttribute('href'));
  });
  window.addEventListener('popstate', route);
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape' && !$('graph-panel').hidden) closeGraph(); });

  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(stateUrl(formState()));
  });
  $('graph-close').addEventListener('click', closeGraph);
  $('credentials-button').addEventListener('click', () => { $('credentials').hidden = !$('credentials').hidden; });
  $('credentials').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('credential').value.trim();
    if (value) sessionStorage.setItem(CREDENTIAL_KEY, value); else sessionStorage.removeItem(CREDENTIAL_KEY);
    $('credential').value = '';
    $('credentials').hidden = true;
    loadRepositoryOptions();
    route();
  });

  // The open graph, for the browser console and the page's tests (read-only use).
  window.cgrGraph = () => graph;

  if (sessionStorage.getItem(CREDENTIAL_KEY)) $('credentials-button').hidden = false;
  loadRepositoryOptions();
  route();
})();
