// The lab page: every operation is one POST to the lab's JSON API; this script only moves
// bytes (base64) and renders the answers. Values from the server or from files are always set
// as text (textContent), never parsed as HTML.
'use strict';

const state = {
  session: null,
  wasm: null, wasmName: null, // the module being worked on (plain wasm)
  source: null,               // C source, for Compile
  bundled: null,              // output of Bundle
  artifact: null,             // a protected artifact (output of Protect, or an uploaded one)
};

const $ = (id) => document.getElementById(id);

function toBase64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

function fromBase64(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

class ApiError extends Error {
  constructor(status, error) {
    super(`${error.code} (${error.number}): ${error.message}`);
    this.status = status;
    this.code = error.code;
  }
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, init);
  const type = response.headers.get('Content-Type') || '';
  const value = type.startsWith('application/json') ? await response.json() : await response.text();
  if (!response.ok) {
    throw new ApiError(response.status, value && value.error ? value.error
      : { code: 'http', number: response.status, message: String(value) });
  }
  return value;
}

// ---- progress -----------------------------------------------------------------------------

function resetProgress() { $('progress').replaceChildren(); }

async function step(label, work) {
  const item = document.createElement('li');
  item.textContent = label;
  item.dataset.state = 'running';
  $('progress').append(item);
  const started = performance.now();
  try {
    const value = await work();
    item.dataset.state = 'ok';
    item.textContent = `${label} — ok (${Math.round(performance.now() - started)} ms)`;
    return value;
  } catch (err) {
    item.dataset.state = 'failed';
    item.textContent = `${label} — failed: ${err.message}`;
    throw err;
  }
}

function showError(err) {
  const box = $('error');
  box.hidden = !err;
  box.textContent = err ? err.message : '';
  if (err) box.dataset.code = err.code || '';
}

async function run(label, work) {
  showError(null);
  const buttons = document.querySelectorAll('button');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    return await work();
  } catch (err) {
    showError(err);
    return undefined;
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
    $('btn-compile').disabled = !(state.session && state.session.compilerAvailable);
  }
}

// ---- rendering ----------------------------------------------------------------------------

function row(table, cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    if (cell instanceof Node) td.append(cell); else td.textContent = cell == null ? '' : String(cell);
    tr.append(td);
  }
  table.tBodies[0].append(tr);
}

function setStatus(el, text, good) {
  el.textContent = text;
  el.classList.toggle('ok', good === true);
  el.classList.toggle('bad', good === false);
}

function renderReport(report) {
  const table = $('report');
  table.tBodies[0].replaceChildren();
  for (const issue of report.issues) {
    row(table, [issue.code, issue.severity, issue.location, issue.message || '']);
  }
  const errors = report.issues.filter((i) => i.severity === 'error').length;
  const warnings = report.issues.length - errors;
  setStatus($('report-summary'),
    `${report.ok ? 'PASS' : 'FAIL'}: ${errors} error(s), ${warnings} warning(s)` +
    (report.issues.length ? '' : ', no issues found'), report.ok);
  $('report-summary').dataset.ok = String(report.ok);
}

function renderBundle(inspect) {
  const table = $('bundle');
  table.tBodies[0].replaceChildren();
  for (const entry of inspect.entries) {
    row(table, [entry.entryId, entry.role, entry.mediaType, entry.payloadEncoding,
      entry.payloadLength, entry.payloadSha256Hex]);
  }
  setStatus($('bundle-summary'),
    `${inspect.entries.length} entr${inspect.entries.length === 1 ? 'y' : 'ies'}; ` +
    `canonical module hash ${inspect.canonicalModuleHashHex.slice(0, 16)}…; hashes ` +
    (inspect.verified ? 'verified' : 'DO NOT match'), inspect.verified);
}

function tag(kind, text) {
  const span = document.createElement('span');
  span.className = `tag ${kind}`;
  span.textContent = text;
  return span;
}

// Which report fields a verified signature vouches for comes from the loader's
// `authentication` block; the page only displays it.
function signedTag(record, field, outcome) {
  const auth = outcome.authentication;
  const path = `${record === 'REC' ? 'trailer' : record.toLowerCase()}.${field}`;
  if (auth.unauthenticated.includes(path)) return tag('unsigned', 'not signed');
  if (path === 'pnm.cid') return auth.signed ? tag('signed', 'signed') : tag('unsigned', 'not verified');
  if (path === 'pnm.publishTimestamp') {
    return auth.publishTimestamp ? tag('signed', 'signed') : tag('unsigned', 'not verified');
  }
  if (record === 'PNM' && /ignature/.test(field)) return tag('other', 'the signature');
  if (record === 'ENC') return tag('other', 'used to decrypt');
  return tag('other', '—');
}

function renderOutcome(outcome) {
  const report = outcome.report;
  const verdict = $('verdict');
  verdict.dataset.outcome = outcome.outcome;
  if (outcome.outcome === 'ok') {
    const signer = report.signature ? report.signature.signerPublicKeyHex : 'none';
    setStatus(verdict, `ok: signed by ${signer}; ` +
      `${report.enc ? 'decrypted' : 'not encrypted'}; wasm ${report.wasm ? report.wasm.length : '?'} bytes`, true);
  } else {
    setStatus(verdict, `refused: ${outcome.code} (${outcome.status}): ${outcome.detail}`, false);
  }
  const records = $('records');
  records.tBodies[0].replaceChildren();
  const trailer = report.trailer && report.trailer.present ? report.trailer : null;
  if (trailer) {
    row(records, ['REC', `${trailer.footerMagic} version ${trailer.recVersion}`, `${trailer.records.length} record(s)`]);
    trailer.records.forEach((r, i) => row(records, [`#${i + 1}`, r.standard, r.recordType]));
  }
  const fields = $('fields');
  fields.tBodies[0].replaceChildren();
  if (trailer) row(fields, ['REC', 'recVersion', trailer.recVersion, signedTag('REC', 'recVersion', outcome)]);
  for (const [name, record] of [['PNM', report.pnm], ['ENC', report.enc]]) {
    if (!record) continue;
    for (const [field, value] of Object.entries(record)) {
      if (value === null || value === undefined) continue;
      row(fields, [name, field, value, signedTag(name, field, outcome)]);
    }
  }
  if (report.signature) {
    row(fields, ['signature', 'signerPublicKeyHex', report.signature.signerPublicKeyHex, tag('other', '—')]);
    row(fields, ['signature', 'cidSignatureValid', report.signature.cidSignatureValid, tag('other', '—')]);
  }
}

function offerDownload(name, bytes) {
  const list = $('downloads');
  for (const old of list.querySelectorAll(`[data-name="${CSS.escape(name)}"]`)) old.remove();
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/wasm' }));
  const item = document.createElement('li');
  item.dataset.name = name;
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.textContent = `${name} (${bytes.length} bytes)`;
  item.append(link);
  list.append(item);
}

function listFile(text) {
  const item = document.createElement('li');
  item.textContent = text;
  $('files').append(item);
}

// ---- inputs -------------------------------------------------------------------------------

async function loadFiles(files) {
  for (const file of files) {
    const lower = file.name.toLowerCase();
    if (lower.endsWith('.json')) {
      $('manifest').value = await file.text();
      listFile(`manifest: ${file.name} (${file.size} bytes)`);
    } else if (lower.endsWith('.c')) {
      state.source = await file.text();
      listFile(`C source: ${file.name} (${file.size} bytes)`);
    } else {
      // Plain or protected, the loader tells: the bytes are both the module to check,
      // bundle and protect, and the artifact to open and invoke.
      const bytes = new Uint8Array(await file.arrayBuffer());
      state.wasm = bytes;
      state.wasmName = file.name;
      state.artifact = bytes;
      listFile(`module: ${file.name} (${bytes.length} bytes)`);
    }
  }
}

function manifestText() {
  const text = $('manifest').value;
  if (!text.trim()) throw new ApiError(0, { code: 'invalid-argument', number: 4, message: 'give a manifest first' });
  return text;
}

function need(value, what) {
  if (!value) throw new ApiError(0, { code: 'invalid-argument', number: 4, message: `give ${what} first` });
  return value;
}

function trustList() {
  return $('trust').value.split(/\s+/).filter(Boolean);
}

// ---- operations ---------------------------------------------------------------------------

async function doCheck() {
  const report = await step('Check the manifest and module', () => api('/api/check', {
    manifest: manifestText(),
    wasmBase64: state.wasm ? toBase64(state.wasm) : undefined,
    standards: $('opt-standards').checked,
  }));
  renderReport(report);
  return report;
}

async function doCompile() {
  const compiled = await step('Compile the C source (clang, wasm32-wasi)', () => api('/api/compile', {
    manifest: manifestText(), source: need(state.source, 'C source'),
  }));
  state.wasm = fromBase64(compiled.wasmBase64);
  state.wasmName = 'compiled.wasm';
  renderReport(compiled.report);
  offerDownload('compiled.wasm', state.wasm);
  return compiled;
}

async function doBundle() {
  const bundled = await step('Bundle: embed the manifest (sds.bundle)', () => api('/api/bundle', {
    manifest: manifestText(), wasmBase64: toBase64(need(state.wasm, 'a module')),
  }));
  state.bundled = fromBase64(bundled.wasmBase64);
  renderBundle(bundled.inspect);
  offerDownload('bundled.wasm', state.bundled);
  return bundled;
}

async function doProtect() {
  const encrypt = $('opt-encrypt').checked;
  const protectedResult = await step(`Protect: sign${encrypt ? ' and encrypt' : ''} with the session keys`,
    () => api('/api/protect', {
      manifest: manifestText(),
      wasmBase64: toBase64(need(state.wasm, 'a module')),
      singleFileBundle: $('opt-single-file').checked,
      encrypt,
    }));
  state.artifact = fromBase64(protectedResult.artifactBase64);
  offerDownload('module.protected.wasm', state.artifact);
  return protectedResult;
}

async function doOpen() {
  const opened = await step('Open: verify against the trust list, decrypt, validate', () => api('/api/open', {
    artifactBase64: toBase64(need(state.artifact, 'a protected artifact')),
    trust: trustList(),
  }));
  renderOutcome(opened.outcome);
  if (opened.wasmBase64) offerDownload('opened.wasm', fromBase64(opened.wasmBase64));
  return opened;
}

async function doInvoke() {
  const method = $('invoke-method').value;
  const invoked = await step(`Invoke ${method} (fresh instance, fail-closed load)`, () => api('/api/invoke', {
    artifactBase64: toBase64(need(state.artifact, 'a protected artifact')),
    trust: trustList(),
    method,
    inputs: [{ port: $('invoke-port').value, text: $('invoke-input').value }],
  }));
  const out = invoked.outputTexts.length ? invoked.outputTexts.map((t) => JSON.stringify(t)).join(', ') : '(no output)';
  setStatus($('invoke'), `${invoked.result.mode} mode, status ${invoked.result.statusCode}: ${out}`, !invoked.failed);
  $('invoke').dataset.output = invoked.outputTexts[0] || '';
  return invoked;
}

async function runDemo() {
  resetProgress();
  const status = $('demo-status');
  status.dataset.state = 'running';
  setStatus(status, 'publication demo running…');
  try {
    const demo = await step('Load the echo example (examples/invoke-echo)', () => api('/api/demo/echo'));
    $('manifest').value = demo.manifest;
    state.source = demo.source;
    $('invoke-method').value = demo.method;
    $('invoke-port').value = demo.port;
    $('invoke-input').value = demo.input;
    $('opt-encrypt').checked = true;
    $('trust').value = state.session.signingPublicKeyHex;
    await doCompile();
    const report = await doCheck();
    await doBundle();
    await doProtect();
    const opened = await doOpen();
    const invoked = await doInvoke();
    const good = report.ok && opened.outcome.outcome === 'ok' && !invoked.failed
      && invoked.outputTexts[0] === demo.input;
    status.dataset.state = good ? 'ok' : 'failed';
    setStatus(status, good
      ? `publication demo: ok: compiled, checked, bundled, signed and encrypted, opened, and echo answered "${invoked.outputTexts[0]}"`
      : 'publication demo: failed (see above)', good);
  } catch (err) {
    status.dataset.state = 'failed';
    setStatus(status, `publication demo failed: ${err.message}`, false);
    throw err;
  }
}

async function downloadKey(kind) {
  const response = await fetch('/api/keys/download', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind }),
  });
  if (!response.ok) throw new ApiError(response.status, (await response.json()).error);
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `lab-${kind}-key.json`;
  link.click();
}

// ---- wiring -------------------------------------------------------------------------------

async function start() {
  const session = await api('/api/session');
  state.session = session;
  $('session').textContent = `signer ${session.signingPublicKeyHex} · recipient ${session.recipientPublicKeyHex}` +
    ` · compiler ${session.compilerAvailable ? 'available' : 'not found'} · uploads ≤ ${session.caps.requestBodyBytes >> 20} MiB`;
  $('session').dataset.ready = 'true';
  $('trust').value = session.signingPublicKeyHex;
  $('btn-compile').disabled = !session.compilerAvailable;

  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    run('load', () => loadFiles(e.dataTransfer.files));
  });
  $('file-input').addEventListener('change', (e) => run('load', () => loadFiles(e.target.files)));

  const click = (id, work) => $(id).addEventListener('click', () => run(id, work));
  click('btn-check', () => { resetProgress(); return doCheck(); });
  click('btn-compile', () => { resetProgress(); return doCompile(); });
  click('btn-bundle', () => { resetProgress(); return doBundle(); });
  click('btn-protect', () => { resetProgress(); return doProtect(); });
  click('btn-open', () => { resetProgress(); return doOpen(); });
  click('btn-invoke', () => { resetProgress(); return doInvoke(); });
  click('btn-demo', runDemo);
  click('btn-key-signing', () => downloadKey('signing'));
  click('btn-key-recipient', () => downloadKey('recipient'));
  document.body.dataset.ready = 'true';
}

start().catch(showError);
