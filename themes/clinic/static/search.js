// Site search, from the site's own index (search-index.js); no service, no
// third-party code. Without JavaScript the search page is a list of every
// article instead.
(function () {
  "use strict";
  var index = window.PAMPHLET_SEARCH_INDEX || [];
  var form = document.getElementById("search-page-form");
  var input = document.getElementById("search-page-query");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !input || !results || !status) return;
  var root = document.documentElement.getAttribute("data-root") || "";

  function terms(query) {
    return query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length >= 2; });
  }

  function has(text, term) {
    return (" " + text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ")).indexOf(" " + term) !== -1;
  }

  function score(entry, wanted) {
    var total = 0;
    for (var i = 0; i < wanted.length; i++) {
      var term = wanted[i];
      var inTitle = has(entry.title, term);
      var inSummary = has(entry.summary, term);
      var inWords = has(entry.words, term);
      if (!inTitle && !inSummary && !inWords) return 0;
      total += (inTitle ? 10 : 0) + (inSummary ? 3 : 0) + (inWords ? 1 : 0);
    }
    return total;
  }

  function show(query) {
    var wanted = terms(query);
    results.textContent = "";
    if (wanted.length === 0) {
      status.textContent = "";
      return;
    }
    var found = index
      .map(function (entry) { return { entry: entry, score: score(entry, wanted) }; })
      .filter(function (hit) { return hit.score > 0; })
      .sort(function (a, b) { return b.score - a.score || a.entry.title.localeCompare(b.entry.title); });
    status.textContent = found.length === 0
      ? "No articles match \u201c" + query + "\u201d. Try fewer or simpler words."
      : found.length + (found.length === 1 ? " article matches" : " articles match") + " \u201c" + query + "\u201d.";
    found.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + hit.entry.href;
      link.textContent = hit.entry.title;
      item.appendChild(link);
      if (hit.entry.summary) {
        var summary = document.createElement("p");
        summary.textContent = hit.entry.summary;
        item.appendChild(summary);
      }
      results.appendChild(item);
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  show(query);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    try {
      window.history.replaceState(null, "", url);
    } catch (ignored) {
      // Some browsers refuse this on file:// pages; the results still show.
    }
  });
})();
