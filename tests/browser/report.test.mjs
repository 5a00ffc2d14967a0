// The reviewers' report in Chromium: tests/browser.rs writes the report of
// the included site after an edit to one signed-off article and runs this
// with PAMPHLET_REPORT (the report's folder) and PAMPHLET_CHANGED (the
// edited article's source path). Light on screen, and as printed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { serveFolder, launchChromium } from "./serve-folder.mjs";

const REPORT = process.env.PAMPHLET_REPORT;
const CHANGED = process.env.PAMPHLET_CHANGED;
if (!REPORT || !CHANGED) throw new Error("PAMPHLET_REPORT and PAMPHLET_CHANGED must be set (tests/browser.rs sets them)");

let served;
let browser;

before(async () => {
  served = await serveFolder(REPORT);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await served?.close();
});

async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const outside = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(served.origin)) outside.push(request.url());
  });
  await page.goto(served.origin + "/index.html", { waitUntil: "load" });
  return { context, page, outside };
}

test("the report passes axe and asks no other host for anything", async () => {
  const { context, page, outside } = await open();
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), []);
  assert.deepEqual(outside, []);
  await context.close();
});

test("the overview comes first and the changed article's edits are shown word by word", async () => {
  const { context, page } = await open();
  const headings = await page.locator("h2").allTextContents();
  assert.equal(headings[1], "Overview", headings.join(" | "));
  const overview = page.locator("table.overview");
  assert.ok(await overview.isVisible());
  const section = page.locator(`section.article:has(td:text-is("${CHANGED}"))`);
  const removed = section.locator(".diff del");
  const added = section.locator(".diff ins");
  assert.ok((await removed.count()) > 0 && (await added.count()) > 0, "no edits shown");
  assert.ok(await removed.first().isVisible());
  assert.ok(await added.first().isVisible());
  // Struck through and underlined, and marked in words for print and screen readers.
  assert.equal(await removed.first().evaluate((e) => getComputedStyle(e).textDecorationLine), "line-through");
  assert.equal(await added.first().evaluate((e) => getComputedStyle(e).textDecorationLine), "underline");
  assert.equal(await added.first().evaluate((e) => getComputedStyle(e, "::before").content), '"[+"');
  assert.ok((await added.first().textContent()).startsWith("added: "), await added.first().textContent());
  assert.ok(await section.locator("table.history").isVisible(), "no sign-off history");
  await context.close();
});

test("printed, the report keeps each article's review to about two pages", async () => {
  const { context, page } = await open();
  await page.emulateMedia({ media: "print" });
  const articles = await page.locator("section.article").count();
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  const works = await page.locator("table.bibliography tbody tr").count();
  assert.ok(articles >= 10, `only ${articles} articles`);
  // The overview and attention list take a few pages of their own, and the
  // bibliography about a page for every ten works it lists.
  const allowed = 2 * articles + 6 + Math.ceil(works / 10);
  assert.ok(pages <= allowed, `${pages} printed pages for ${articles} articles and ${works} works`);
  const removed = page.locator(".diff del").first();
  assert.equal(await removed.evaluate((e) => getComputedStyle(e, "::before").content), '"[−"');
  await context.close();
});
