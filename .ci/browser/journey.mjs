// The browser test's journey, on a fresh `hanse serve --demo`: the demo buyer
// finds a flask by a Chinese search and orders it; the supplier confirms; the
// buyer tops up through the sandbox bank and pays; the supplier ships with the
// sandbox carrier, which delivers; the buyer confirms receipt; both wallet
// pages show the money where it belongs, to the cent; the supplier attaches
// a delivery note to the sale in its books. A screenshot of every
// step lands in the folder given.
// Usage: node journey.mjs BASE_URL SCREENSHOT_DIR (HANSE_BROWSER_MODULES names
// the folder whose node_modules holds playwright-core).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.HANSE_BROWSER_MODULES, 'package.json'));
const { chromium } = require('playwright-core');

const [base, shots] = process.argv.slice(2);
const PASSWORD = 'hanse-demo-2026';
const BUYER = 'thomas.vogel@vogel-haushalt.demo';
const SUPPLIER = 'chen.li@hengxin-thermos.demo';
const STEP_TIMEOUT_MS = 15_000;

let stepNumber = 0;
async function step(page, name, action) {
  stepNumber += 1;
  const label = `${String(stepNumber).padStart(2, '0')}-${name}`;
  const started = Date.now();
  await action();
  await page.screenshot({ path: path.join(shots, `${label}.png`), fullPage: true });
  console.log(`ok ${label} (${Date.now() - started} ms)`);
}

function fail(message) {
  throw new Error(message);
}

async function signIn(browser, email) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  await page.goto(`${base}/signin`);
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/signin"] button[type=submit]')]);
  if (page.url().includes('/signin')) fail(`${email} could not sign in`);
  return page;
}

/** The wallet's amounts in `currency`, in minor units, read through the API
 *  with the page's own session. */
async function balance(page, currency) {
  const answer = await page.request.get(`${base}/api/v1/wallet/balances`);
  if (!answer.ok()) fail(`balances: ${answer.status()}`);
  const row = (await answer.json()).find((b) => b.currency === currency);
  return row ? { available: row.available.minor, balance: row.balance.minor } : { available: 0, balance: 0 };
}

/** The order as its side sees it, through the API. */
async function order(page, id) {
  const answer = await page.request.get(`${base}/api/v1/orders/${id}`);
  if (!answer.ok()) fail(`order ${id}: ${answer.status()}`);
  return (await answer.json()).order;
}

/** Submits the form whose action ends with `/orders/{id}/{action}`. */
async function submitOrderAction(page, id, action, fill = async () => {}) {
  await page.goto(`${base}/orders/${id}`);
  const form = page.locator(`form[action$="/orders/${id}/${action}"]`);
  if ((await form.count()) === 0) fail(`no ${action} form on the order page`);
  await fill(form);
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').first().click()]);
  const error = page.locator('.error');
  if ((await error.count()) > 0) fail(`${action}: ${await error.first().innerText()}`);
}

/** The amount as the wallet page writes it: digits and the decimal point only. */
function digits(text) {
  return text.replace(/[^0-9.-]/g, '');
}

function decimal(minor) {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

async function walletShows(page, currency, minor) {
  await page.goto(`${base}/wallet`);
  const row = page.locator('table tr', { has: page.locator(`td:text-is("${currency}")`) }).first();
  const available = digits(await row.locator('td').nth(1).innerText());
  if (available !== decimal(minor)) fail(`the wallet page shows ${available} ${currency}, expected ${decimal(minor)}`);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const buyer = await signIn(browser, BUYER);
  let product;
  await step(buyer, 'buyer-searches-in-chinese', async () => {
    await buyer.goto(`${base}/search?q=${encodeURIComponent('保温杯')}`);
    const hits = buyer.locator('a[href^="/products/prd_"]');
    await hits.first().waitFor();
    product = await hits.first().getAttribute('href');
  });
  let orderId;
  await step(buyer, 'buyer-orders-from-the-product-page', async () => {
    await buyer.goto(`${base}${product}`);
    const form = buyer.locator('form[action$="/order"]');
    if ((await form.count()) === 0) fail('no order form on the product page');
    await form.locator('[name=delivery_address]').fill('Vogel Haushaltswaren, Speicherstadt 4, 20457 Hamburg');
    const terms = form.locator('select[name=terms]');
    if ((await terms.count()) > 0) await terms.selectOption('FOB');
    await Promise.all([buyer.waitForNavigation(), form.locator('button[type=submit]').first().click()]);
    const match = buyer.url().match(/\/orders\/(ord_[0-9a-z]+)/);
    if (!match) fail(`ordering did not lead to the order page: ${buyer.url()} ${await buyer.locator('.error').allInnerTexts()}`);
    orderId = match[1];
  });
  const placed = await order(buyer, orderId);
  const currency = placed.currency;

  const supplier = await signIn(browser, SUPPLIER);
  await step(supplier, 'supplier-confirms', async () => {
    await submitOrderAction(supplier, orderId, 'confirm');
    if ((await order(supplier, orderId)).state !== 'confirmed') fail('not confirmed');
  });
  const confirmed = await order(buyer, orderId);
  const buyerBefore = await balance(buyer, currency);
  const supplierBefore = await balance(supplier, currency);

  await step(buyer, 'buyer-tops-up', async () => {
    await buyer.goto(`${base}/wallet`);
    await buyer.fill('#top_up_amount', decimal(confirmed.total_minor));
    await buyer.selectOption('#top_up_currency', currency);
    await Promise.all([buyer.waitForNavigation(), buyer.click('form[action="/wallet/top-ups"] button[type=submit]')]);
  });
  await step(buyer, 'sandbox-bank-confirms-the-top-up', async () => {
    await buyer.goto(`${base}/sandbox-bank`);
    const confirm = buyer.locator('form[action$="/confirm"] button').first();
    await Promise.all([buyer.waitForNavigation(), confirm.click()]);
    const after = await balance(buyer, currency);
    if (after.available !== buyerBefore.available + confirmed.total_minor) {
      fail(`after the top-up ${after.available}, expected ${buyerBefore.available + confirmed.total_minor}`);
    }
  });
  await step(buyer, 'buyer-pays-into-escrow', async () => {
    await submitOrderAction(buyer, orderId, 'pay');
    if ((await order(buyer, orderId)).state !== 'paid') fail('not paid');
  });
  await step(supplier, 'supplier-ships-with-the-sandbox-carrier', async () => {
    await submitOrderAction(supplier, orderId, 'ship', async (form) => {
      const carrier = form.locator('select[name=carrier]');
      if ((await carrier.count()) > 0) await carrier.selectOption('sandbox');
    });
    if ((await order(supplier, orderId)).state !== 'shipped') fail('not shipped');
  });
  await step(supplier, 'sandbox-carrier-delivers', async () => {
    for (let moves = 0; moves < 10; moves += 1) {
      if ((await order(supplier, orderId)).state === 'delivered') break;
      await supplier.goto(`${base}/sandbox-carrier`);
      const advance = supplier.locator('form[action*="/advance"] button').first();
      await Promise.all([supplier.waitForNavigation(), advance.click()]);
    }
    if ((await order(supplier, orderId)).state !== 'delivered') fail('the parcel was not delivered');
    await supplier.goto(`${base}/orders/${orderId}`);
  });
  await step(buyer, 'buyer-confirms-receipt', async () => {
    await submitOrderAction(buyer, orderId, 'receipt');
    for (let tries = 0; tries < 50; tries += 1) {
      if ((await order(buyer, orderId)).state === 'settled') break;
      await buyer.waitForTimeout(200);
    }
    const settled = await order(buyer, orderId);
    if (settled.state !== 'settled') fail(`the order is ${settled.state}, not settled`);
    await buyer.goto(`${base}/orders/${orderId}`);
  });
  const settled = await order(buyer, orderId);
  await step(buyer, 'buyer-wallet', async () => {
    // The top-up came in and went out again into the order.
    await walletShows(buyer, currency, buyerBefore.available);
  });
  await step(supplier, 'supplier-wallet', async () => {
    await walletShows(supplier, currency, supplierBefore.available + settled.total_minor - settled.fee_minor);
  });
  await step(supplier, 'supplier-stock-shows-the-shipment', async () => {
    // The shipment move follows from the outbox: the item's page lists it
    // with a link to the order.
    const sku = settled.lines[0].sku;
    for (let tries = 0; tries < 50; tries += 1) {
      await supplier.goto(`${base}/stock`);
      const item = supplier.locator('a[href^="/stock/items/itm_"]', { hasText: sku }).first();
      if ((await item.count()) === 0) fail(`the stock page has no item ${sku}`);
      await Promise.all([supplier.waitForNavigation(), item.click()]);
      if ((await supplier.locator(`a[href="/orders/${orderId}"]`).count()) > 0) return;
      await supplier.waitForTimeout(200);
    }
    fail(`the item ${sku} shows no shipment for ${orderId}`);
  });
  await step(buyer, 'buyer-purchase-order-received', async () => {
    for (let tries = 0; tries < 50; tries += 1) {
      await buyer.goto(`${base}/stock/purchases`);
      const row = buyer.locator('tr', { has: buyer.locator(`a[href="/orders/${orderId}"]`) });
      if ((await row.count()) > 0) {
        const purchase = row.locator('a[href^="/stock/purchases/po_"]').first();
        await Promise.all([buyer.waitForNavigation(), purchase.click()]);
        return;
      }
      await buyer.waitForTimeout(200);
    }
    fail(`the buyer has no purchase order for ${orderId}`);
  });
  await step(supplier, 'supplier-attaches-the-delivery-note-to-the-sale-in-the-books', async () => {
    // The sale's entries follow from the outbox; the journal shows them with
    // a link to the order, and a file attaches to one through its form.
    const note = `送货单 Delivery note for ${orderId}`;
    for (let tries = 0; tries < 50; tries += 1) {
      await supplier.goto(`${base}/books/journal`);
      const head = supplier.locator('tr.entry-head', { has: supplier.locator(`a[href="/orders/${orderId}"]`) }).first();
      if ((await head.count()) > 0) {
        await head.locator('summary').click();
        await head.locator('input[type=file]').setInputFiles({ name: '送货单.txt', mimeType: 'text/plain', buffer: Buffer.from(note) });
        await Promise.all([supplier.waitForNavigation(), head.locator('form[enctype] button[type=submit]').click()]);
        const link = supplier.locator('a.attachment', { hasText: '送货单.txt' }).first();
        if ((await link.count()) === 0) fail('the journal shows no attached file');
        const file = await supplier.request.get(`${base}${await link.getAttribute('href')}`);
        if (!file.ok() || (await file.text()) !== note) fail('the attached file does not come back as it was');
        return;
      }
      await supplier.waitForTimeout(200);
    }
    fail(`the journal has no entry for ${orderId}`);
  });
  console.log(`journey passed: order ${orderId}, ${decimal(settled.total_minor)} ${currency}, fee ${decimal(settled.fee_minor)}`);
} finally {
  await browser.close();
}
