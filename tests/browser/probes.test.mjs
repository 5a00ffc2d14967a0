// Pages built from markup an attacker or a careless paste could write, which
// the build accepted: hand-made near misses (tests/browser.rs) and the
// promise fuzz target's corpus. Each is opened in Chromium with the page's
// Content-Security-Policy switched off, so nothing is saved by the CSP: the
// promise must hold in the markup itself. No script may run, no other host
// may be asked for anything, and the disclaimer and references must be seen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serveFolder, pagesOf, launchChromium } from "./serve-folder.mjs";

const SITE = process.env.PAMPHLET_SITE;
if (!SITE) throw new Error("PAMPHLET_SITE must name a built site (tests/browser.rs sets it)");
const FOLDERS = (process.env.PAMPHLET_PROBE_FOLDERS || "").split(",").filter(Boolean);
const THEME_SCRIPTS = ["search.js", "search-index.js"];

let served;
let browser;
let probes = [];

before(async () => {
  served = await serveFolder(SITE);
  browser = await launchChromium();
  probes = (await pagesOf(SITE)).filter((path) => FOLDERS.some((folder) => path.startsWith(`/${folder}/`)));
});

after(async () => {
  await browser?.close();
  await served?.close();
});

test("there are probe pages to open", () => {
  assert.ok(FOLDERS.length > 0, "PAMPHLET_PROBE_FOLDERS names no folder");
  assert.ok(probes.length >= 10, `only ${probes.length} probe pages`);
});

// What the page as Chromium built it holds that it must not.
function forbiddenInDocument(themeScripts) {
  // The one SVG the theme prints: the handout's QR code, squares only.
  const themesQrCode = (element) =>
    element.matches(".handout-link > svg.qr") &&
    [...element.querySelectorAll("*")].every(
      (child) => ["rect", "path"].includes(child.localName) && ![...child.attributes].some((a) => /href|^on/i.test(a.name)),
    );
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith("on")) found.push(`${element.localName}[${attribute.name}]`);
    }
    const name = element.localName;
    if (["iframe", "frame", "object", "embed", "base", "style", "template", "svg", "math"].includes(name) && !themesQrCode(element)) found.push(`<${name}>`);
    if (name === "meta" && element.httpEquiv && element.httpEquiv.toLowerCase() !== "content-security-policy") found.push(`<meta http-equiv=${element.httpEquiv}>`);
    if (name === "form" && new URL(element.action).origin !== location.origin) found.push(`a form sent to ${element.action}`);
    if (name === "script" && element.type !== "application/ld+json" && !themeScripts.includes((element.src || "").split("/").pop())) found.push("a script the theme did not put there");
    for (const url of [element.href, element.src].filter((u) => typeof u === "string" && u)) {
      if (url.toLowerCase().startsWith("javascript:") || url.toLowerCase().startsWith("vbscript:")) found.push(`${name} to ${url}`);
    }
  }
  if (window.__ran !== undefined) found.push("a probe's script ran");
  const disclaimer = document.querySelector('[data-disclaimer="medical-advice"]');
  const seen = (element) => element && element.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true });
  if (!seen(disclaimer) || !disclaimer.innerText.includes("does not replace")) found.push("the medical-advice disclaimer is not seen");
  if (!seen(document.querySelector("section.references"))) found.push("the references are not seen");
  if (disclaimer && disclaimer.closest("[hidden], [aria-hidden=true], details:not([open]), template, noscript")) found.push("the disclaimer sits in a hidden part");
  return found;
}

test("no probe page runs a script, asks another host for anything, or hides the disclaimer", async () => {
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
  const elsewhere = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(served.origin)) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const broken = [];
  for (const path of probes) {
    elsewhere.length = 0;
    errors.length = 0;
    await page.goto(served.origin + path, { waitUntil: "load" });
    const found = await page.evaluate(forbiddenInDocument, THEME_SCRIPTS);
    found.push(...elsewhere.map((url) => `asked another host: ${url}`), ...errors.map((e) => `script error: ${e}`));
    if (found.length) broken.push(`${path}: ${found.join("; ")}`);
  }
  await context.close();
  assert.deepEqual(broken, []);
});

test("the probe check can fail: a planted script, handler and outside image are all caught", async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.setContent('<main><div data-disclaimer="medical-advice" hidden>does not replace</div><img src="x" onerror="window.__ran=1"><iframe></iframe></main>');
  const found = await page.evaluate(forbiddenInDocument, THEME_SCRIPTS);
  await context.close();
  for (const expected of ["img[onerror]", "<iframe>", "a probe's script ran", "the medical-advice disclaimer is not seen", "the references are not seen"]) {
    assert.ok(found.includes(expected), `${expected} not in ${found.join("; ")}`);
  }
});
