// Pamphlet's browser suite. tests/browser.rs builds the included site into a
// temporary folder and runs this with PAMPHLET_SITE set to it. Every page is
// served from 127.0.0.1 and opened in Debian's Chromium, as a patient would.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { serveFolder, pagesOf, launchChromium } from "./serve-folder.mjs";

const SITE = process.env.PAMPHLET_SITE;
if (!SITE) throw new Error("PAMPHLET_SITE must name a built site (tests/browser.rs sets it)");

const PHONE = { width: 390, height: 844 };
const NARROWEST = { width: 320, height: 640 };
const DESKTOP = { width: 1280, height: 800 };

let served;
let origin;
let browser;
let pages = [];

before(async () => {
  served = await serveFolder(SITE);
  origin = served.origin;
  browser = await launchChromium();
  pages = await pagesOf(SITE);
});

after(async () => {
  await browser?.close();
  await served?.close();
});

// Opens `path`, recording console errors, failed requests and any request
// to a host other than the local server.
async function open(path, { viewport = DESKTOP, javaScript = true } = {}) {
  const context = await browser.newContext({ viewport, javaScriptEnabled: javaScript });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`failed request: ${request.url()} (${request.failure()?.errorText})`));
  page.on("request", (request) => {
    if (!request.url().startsWith(origin)) problems.push(`request to another host: ${request.url()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && !path.endsWith("404.html")) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(origin + path, { waitUntil: "load" });
  return { page, context, problems };
}

test("the site has pages to test", () => {
  assert.ok(pages.length >= 20, `only ${pages.length} pages`);
});

test("every page passes axe (WCAG 2.0, 2.1 and 2.2 A and AA) with no console error or outside request", async () => {
  for (const path of pages) {
    const { page, context, problems } = await open(path);
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
      .analyze();
    const violations = results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
    assert.deepEqual(violations, [], `${path}`);
    assert.deepEqual(problems, [], `${path}`);
    // Only the theme's own scripts (and JSON-LD data) may be on a page.
    const scripts = await page.evaluate(() =>
      [...document.scripts].map((s) =>
        s.type === "application/ld+json" ? "json-ld" : s.src ? new URL(s.src).pathname.split("/").pop() : "inline script",
      ),
    );
    const theirs = scripts.filter((s) => !["json-ld", "search-index.js", "search.js"].includes(s));
    assert.deepEqual(theirs, [], `${path} runs scripts the theme did not put there`);
    const handlers = await page.evaluate(() =>
      [...document.querySelectorAll("*")].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => a.name)),
    );
    assert.deepEqual(handlers, [], `${path} has event-handler attributes`);
    await context.close();
  }
});

test("axe is really judging: a page with known faults fails it", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.setContent('<!doctype html><html><head><title>x</title></head><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="color:#bbb;background:#fff">faint text</p></main></body></html>');
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const found = results.violations.map((v) => v.id).sort();
  assert.ok(found.includes("image-alt") && found.includes("color-contrast") && found.includes("html-has-lang"), found.join(", "));
  await context.close();
});

test("every page passes axe in the dark colour scheme too", async () => {
  for (const path of pages) {
    const context = await browser.newContext({ viewport: DESKTOP, colorScheme: "dark" });
    const page = await context.newPage();
    await page.goto(origin + path, { waitUntil: "load" });
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
      .analyze();
    const violations = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    assert.deepEqual(violations, [], `${path} (dark)`);
    await context.close();
  }
});

test("no page scrolls sideways at 320 px or 1280 px", async () => {
  for (const viewport of [NARROWEST, DESKTOP]) {
    for (const path of pages) {
      const { page, context } = await open(path, { viewport });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} scrolls ${overflow}px sideways at ${viewport.width}px`);
      await context.close();
    }
  }
});

test("every page's title starts in the first third of a 320 x 800 screen", async () => {
  const screen = { width: 320, height: 800 };
  for (const path of pages) {
    const { page, context } = await open(path, { viewport: screen });
    const top = await page.locator("h1").first().evaluate((h1) => h1.getBoundingClientRect().top);
    assert.ok(top <= screen.height / 3, `${path}: the title starts at ${top}px`);
    await context.close();
  }
});

test("on a phone the sections fold into a menu that opens without JavaScript", async () => {
  const { page, context } = await open("/index.html", { viewport: NARROWEST, javaScript: false });
  assert.equal(await page.locator("nav.site-nav").isVisible(), false, "the section bar is folded away");
  const menu = page.locator("details.site-menu");
  assert.ok(await menu.isVisible());
  const links = menu.locator("nav a");
  const count = await links.count();
  assert.ok(count >= 3, `only ${count} sections in the menu`);
  assert.equal(await links.first().isVisible(), false, "closed at first");
  await menu.locator("summary").click();
  for (let i = 0; i < count; i += 1) assert.ok(await links.nth(i).isVisible(), `section ${i} is not shown`);
  await context.close();
  // On a desktop the sections are a bar and there is no menu.
  const wide = await open("/index.html", { viewport: DESKTOP });
  assert.ok(await wide.page.locator("nav.site-nav").isVisible());
  assert.equal(await wide.page.locator("details.site-menu").isVisible(), false);
  await wide.context.close();
});

test("care cards say how urgently to act in words, on screen and in print", async () => {
  const { page, context } = await open("/treatment/side-effects/index.html", { viewport: PHONE });
  const headings = page.locator("main .care-card .care-heading");
  assert.deepEqual(await headings.allInnerTexts(), ["Immediate action required", "Urgent advice"]);
  assert.match(await page.locator("main .care-emergency").innerText(), /911[\s\S]*988/);
  const look = () => headings.first().evaluate((h) => [getComputedStyle(h).color, getComputedStyle(h).backgroundColor]);
  assert.deepEqual(await look(), ["rgb(255, 255, 255)", "rgb(164, 22, 26)"]);
  await page.emulateMedia({ media: "print" });
  const [printed] = await look();
  assert.equal(printed, "rgb(0, 0, 0)", "printed in black, so a black-and-white printer keeps it");
  await context.close();
});

test("mental health articles show the whole crisis box on a phone's first screen", async () => {
  let checked = 0;
  for (const path of pages) {
    const { page, context } = await open(path, { viewport: PHONE });
    const box = page.locator("aside.crisis[data-disclaimer='crisis-line']");
    if ((await box.count()) === 0) {
      await context.close();
      continue;
    }
    checked += 1;
    assert.ok(await box.isVisible(), path);
    const place = await box.boundingBox();
    assert.ok(place.y + place.height <= PHONE.height, `${path}: the crisis box ends at ${place.y + place.height}px, below the first screen`);
    assert.match(await box.innerText(), /988/);
    assert.match(await box.innerText(), /911/);
    await context.close();
  }
  assert.ok(checked >= 8, `only ${checked} pages have a crisis box`);
});

for (const [query, first] of [["side effects", "Side effects and risks"], ["cost", "Costs and insurance"]]) {
  test(`searching "${query}" from the header lists "${first}" first`, async () => {
    const { page, context, problems } = await open("/index.html", { viewport: PHONE });
    // Chromium fetches the favicon after the load event; leaving the page
    // before it arrives aborts it, which would be recorded as a failed request.
    await page.waitForLoadState("networkidle");
    await page.getByLabel("Search this site").fill(query);
    await page.getByRole("button", { name: "Search" }).first().click();
    await page.waitForURL(/search/);
    const results = page.locator("#search-results li a");
    await results.first().waitFor();
    assert.equal(await results.first().innerText(), first);
    assert.match(await page.locator("#search-status").innerText(), /match/);
    await page.waitForLoadState("networkidle");
    await results.first().click();
    await page.waitForLoadState("load");
    assert.equal(await page.locator("h1").innerText(), first);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test("the search box works from the keyboard alone", async () => {
  const { page, context } = await open("/search/index.html");
  let focused = "";
  for (let presses = 0; presses < 10 && focused !== "site-search-query"; presses++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement?.id ?? "");
  }
  assert.equal(focused, "site-search-query", "Tab never reached the search field");
  await page.keyboard.type("dissociation");
  await page.keyboard.press("Enter");
  await page.waitForURL(/q=dissociation/);
  await page.locator("#search-results li").first().waitFor();
  await context.close();
});

// The index is cut into files a query loads only when it needs them
// (src/render/search.rs); these are what the page's script asked for.
function indexFilesAsked(page) {
  const asked = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/search/") && path.endsWith(".js")) asked.push(path.slice("/search/".length));
  });
  return asked;
}

test("a misspelt or unfinished word finds what it meant, and the page says what it searched for", async () => {
  for (const [query, first, said] of [
    ["side efects", "Side effects and risks", /Searched for \u201ceffects\u201d instead of \u201cefects\u201d/],
    ["ketamin", "What is ketamine?", /articles match/],
    ["infusion", "How many sessions you may need", /articles match/],
  ]) {
    const { page, context, problems } = await open("/search/index.html?q=" + encodeURIComponent(query));
    const results = page.locator("#search-results li a");
    await results.first().waitFor();
    const titles = await results.allInnerTexts();
    assert.ok(titles.includes(first), `"${query}" lists ${titles.join(" / ")}`);
    assert.match(await page.locator("#search-status").innerText(), said);
    await page.waitForLoadState("networkidle");
    assert.deepEqual(problems, [], query);
    await context.close();
  }
});

test("a query loads only the index files it needs, and shows ten results at a time", async () => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const asked = indexFilesAsked(page);
  await page.goto(origin + "/search/index.html?q=ketamine", { waitUntil: "load" });
  const results = page.locator("#search-results li");
  await results.first().waitFor();
  await page.waitForLoadState("networkidle");
  // One vocabulary file (words starting "ke"), the postings it points to
  // and the titles of the results: never the whole index.
  assert.ok(asked.includes("w-ke.js"), asked.join(", "));
  assert.equal(asked.filter((f) => f.startsWith("w-")).length, 1, asked.join(", "));
  assert.ok(asked.length <= 4, `a one-word query loaded ${asked.join(", ")}`);
  const matched = Number((await page.locator("#search-status").innerText()).match(/^(\d+) articles match/)[1]);
  assert.ok(matched > 10, `only ${matched} articles mention ketamine`);
  assert.equal(await results.count(), 10);
  await page.getByRole("button", { name: "Show more results" }).click();
  await page.waitForFunction((n) => document.querySelectorAll("#search-results li").length === n, matched);
  assert.equal(await page.getByRole("button", { name: "Show more results" }).count(), 0);
  await context.close();
});

test("search works with the site opened from the file system, offline", async () => {
  const context = await browser.newContext({ offline: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  await page.goto(pathToFileURL(join(SITE, "search/index.html")).href + "?q=dissociation", { waitUntil: "load" });
  const results = page.locator("#search-results li a");
  await results.first().waitFor();
  assert.ok((await results.allInnerTexts()).includes("Side effects and risks"));
  assert.deepEqual(errors, []);
  await context.close();
});

test("every page reads fully with JavaScript turned off", async () => {
  for (const path of pages) {
    const { page, context, problems } = await open(path, { javaScript: false });
    assert.equal(await page.locator("h1").count(), 1, `${path} has no single h1`);
    const text = await page.locator("main").innerText();
    assert.ok(text.length > 40, `${path} shows almost nothing without JavaScript`);
    assert.deepEqual(problems, [], path);
    await context.close();
  }
  const { page, context } = await open("/search/index.html", { javaScript: false });
  const listed = await page.locator("main .cards .card-title a").count();
  assert.ok(listed >= 13, `without JavaScript the search page lists ${listed} articles`);
  await context.close();
});

test("printing an article keeps the article, its review dates and full reference URLs, and drops navigation", async () => {
  const { page, context } = await open("/conditions/ptsd/index.html");
  await page.emulateMedia({ media: "print" });
  const shown = (selector) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).display !== "none");
  assert.equal(await shown("header nav"), false, "the main navigation prints");
  assert.equal(await shown(".site-search"), false, "the search form prints");
  assert.equal(await shown("article h1"), true);
  assert.equal(await shown("footer.review"), true, "the review dates do not print");
  const after = await page
    .locator(".references a[href^='https://doi.org']")
    .first()
    .evaluate((el) => getComputedStyle(el, "::after").content);
  assert.match(after, /https:\/\/doi\.org\//, "reference links print without their address");
  const addressAfter = await page
    .locator(".references a.address")
    .first()
    .evaluate((el) => getComputedStyle(el, "::after").content);
  assert.equal(addressAfter, "none", "an address shown as its own text prints twice");
  // The way back online: a QR code of the page's own address, big enough to
  // scan from paper, with the address in words beside it.
  const qr = page.locator(".handout-link svg.qr");
  assert.equal(await qr.count(), 1, "the handout has no QR code");
  const box = await qr.boundingBox();
  assert.ok(box && box.width >= 90 && Math.abs(box.width - box.height) < 1, `the QR code prints ${JSON.stringify(box)}`);
  // As printed, for tests/it/browser.rs to scan (at 4x, as a camera sees paper).
  if (process.env.PAMPHLET_QR_SHOT) {
    const sharp = await browser.newContext({ viewport: { width: 794, height: 1123 }, deviceScaleFactor: 4 });
    const printed = await sharp.newPage();
    await printed.goto(origin + "/conditions/ptsd/index.html");
    await printed.emulateMedia({ media: "print" });
    await printed.locator(".handout-link svg.qr").screenshot({ path: process.env.PAMPHLET_QR_SHOT });
    await sharp.close();
  }
  const address = await page.locator(".handout-address").innerText();
  assert.match(address, /^https:\/\/.+\/conditions\/ptsd\/$/, address);
  await page.emulateMedia({ media: "screen" });
  assert.equal(await shown(".handout-link"), false, "the handout's QR code shows on screen");
  await context.close();
});
