// The browser test of `space-data-module lab`: starts the lab on a free port, drives the page
// in Debian's headless chromium with playwright-core, and checks what the page shows:
// the vector module and manifest uploaded and checked (an empty report, then a broken manifest's
// issues as table rows), then the publication demo on the echo module: every step ok, the
// bundle entries, the loader's verdict, the REC/PNM/ENC records with the signed fields marked,
// the echoed text, and a download of the protected artifact. Saves $LAB_OUT/lab.png.
//
// Environment: LAB_CLI (the CLI binary), LAB_OUT (output dir), LAB_VECTORS (the publication
// vectors' inputs). Exit 0 when every check held.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const cli = process.env.LAB_CLI;
const out = process.env.LAB_OUT;
const vectors = process.env.LAB_VECTORS;
assert.ok(cli && out && vectors, 'LAB_CLI, LAB_OUT and LAB_VECTORS are required');

function startLab() {
  const child = spawn(cli, ['lab', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the lab exited (${code}) before printing its URL`)));
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const match = /^lab: serving (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(buffered);
      if (match) resolve({ child, url: match[1] });
    });
  });
}

let checks = 0;
function check(what, fn) {
  return Promise.resolve(fn()).then(() => { checks += 1; console.log(`  ok: ${what}`); });
}

const { child, url } = await startLab();
const userDataDir = mkdtempSync(join(tmpdir(), 'sdm-lab-chromium-'));
let context;
try {
  console.log(`test-lab: lab at ${url}`);
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1440, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => { if (msg.type() === 'error') pageErrors.push(msg.text()); });

  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  await check('the page shows the session signer (public key only)', async () => {
    const text = await page.textContent('#session');
    assert.match(text, /signer 0[23][0-9a-f]{64}/);
    assert.doesNotMatch(await page.content(), /privateKey/);
  });

  await page.setInputFiles('#file-input', [join(vectors, 'base-module.wasm'), join(vectors, 'manifest.json')]);
  await check('the vector module and manifest are loaded', async () => {
    await page.waitForFunction(() => document.querySelectorAll('#files li').length === 2);
    assert.match(await page.inputValue('#manifest'), /single-file-vector/);
  });

  await page.click('#btn-check');
  await check('the vector pair checks clean: PASS, no rows', async () => {
    await page.waitForSelector('#report-summary[data-ok="true"]');
    assert.match(await page.textContent('#report-summary'), /^PASS: 0 error\(s\), 0 warning\(s\), no issues found/);
    assert.equal(await page.locator('#report tbody tr').count(), 0);
  });

  const broken = JSON.parse(readFileSync(join(vectors, 'manifest.json'), 'utf8'));
  delete broken.pluginId;
  await page.fill('#manifest', JSON.stringify(broken, null, 2));
  await page.click('#btn-check');
  await check('a manifest without pluginId: FAIL, and the issue as a table row', async () => {
    await page.waitForSelector('#report-summary[data-ok="false"]');
    const rows = await page.$$eval('#report tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    assert.ok(rows.length >= 1, 'at least one issue row');
    const row = rows.find((cells) => cells[2] === 'manifest.pluginId');
    assert.ok(row, `an issue at manifest.pluginId in ${JSON.stringify(rows)}`);
    assert.deepEqual(row.slice(0, 2), ['missing-string', 'error']);
    assert.match(row[3], /pluginId/, 'the message is shown');
  });

  await page.click('#btn-demo');
  await check('the publication demo runs every step to ok', async () => {
    await page.waitForSelector('#demo-status[data-state="ok"], #demo-status[data-state="failed"]', { timeout: 180000 });
    const steps = await page.$$eval('#progress li', (lis) => lis.map((li) => [li.dataset.state, li.textContent]));
    assert.equal(await page.getAttribute('#demo-status', 'data-state'), 'ok',
      `${await page.textContent('#demo-status')}\n${steps.map((s) => s.join(' ')).join('\n')}`);
    assert.equal(steps.length, 7, JSON.stringify(steps));
    assert.ok(steps.every(([state]) => state === 'ok'), JSON.stringify(steps));
    assert.match(steps[1][1], /Compile/);
    assert.match(steps[5][1], /Open/);
  });
  await check('the compliance report of the compiled echo module passes', async () => {
    assert.equal(await page.getAttribute('#report-summary', 'data-ok'), 'true');
  });
  await check('the bundle entries are listed with verified hashes', async () => {
    const roles = await page.$$eval('#bundle tbody tr', (trs) => trs.map((tr) => tr.cells[1].textContent));
    assert.ok(roles.includes('manifest'), JSON.stringify(roles));
    assert.match(await page.textContent('#bundle-summary'), /hashes verified/);
  });
  await check('the loader verdict is ok: signed by the session key, decrypted', async () => {
    assert.equal(await page.getAttribute('#verdict', 'data-outcome'), 'ok');
    const verdict = await page.textContent('#verdict');
    const signer = (await page.textContent('#session')).match(/signer (0[23][0-9a-f]{64})/)[1];
    assert.ok(verdict.includes(signer), verdict);
    assert.match(verdict, /decrypted/);
  });
  await check('the trailer records: REC with its records, PNM and ENC fields, signed ones marked', async () => {
    const records = await page.$$eval('#records tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    assert.equal(records[0][0], 'REC');
    assert.ok(records.length >= 3, JSON.stringify(records));
    const fields = await page.$$eval('#fields tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    const field = (record, name) => fields.find((cells) => cells[0] === record && cells[1] === name);
    assert.equal(field('PNM', 'cid')[3], 'signed');
    assert.equal(field('PNM', 'publishTimestamp')[3], 'signed');
    assert.equal(field('PNM', 'fileName')?.[3] ?? 'not signed', 'not signed');
    assert.ok(fields.some((cells) => cells[0] === 'ENC'), 'ENC fields are shown');
    assert.equal(field('ENC', 'timestamp')[3], 'not signed');
  });
  await check('echo answered the demo input', async () => {
    assert.equal(await page.getAttribute('#invoke', 'data-output'), 'hello, space data');
  });
  await check('the protected artifact downloads', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#downloads a[download="module.protected.wasm"]'),
    ]);
    const saved = join(out, 'module.protected.wasm');
    await download.saveAs(saved);
    const shown = await page.textContent('#downloads a[download="module.protected.wasm"]');
    assert.equal(`module.protected.wasm (${statSync(saved).size} bytes)`, shown);
    // Encrypted payload, then the trailer, which ends with the REC footer magic.
    assert.equal(readFileSync(saved).subarray(-4).toString('latin1'), '$REC');
  });

  await page.screenshot({ path: join(out, 'lab.png'), fullPage: true });
  await check('no script error on the page', () => assert.deepEqual(pageErrors, []));
  console.log(`test-lab: ${checks} checks passed; screenshot ${join(out, 'lab.png')}`);
} catch (err) {
  console.error(`test-lab: FAILED after ${checks} checks: ${err.stack || err}`);
  process.exitCode = 1;
} finally {
  if (context) await context.close().catch(() => {});
  child.kill();
  rmSync(userDataDir, { recursive: true, force: true });
}
