// Site search, from the site's own index; no service, no third-party code.
// The index is cut into small files (see src/render/search.rs) and a query
// loads only the ones it needs: the vocabulary of each word typed, the
// postings of the stems found there, and the titles of the results shown.
// Without JavaScript the search page is a list of every article instead.
(function () {
  "use strict";
  var manifest = window.PAMPHLET_SEARCH || { docs: 0, perDocs: 50, keys: [] };
  var form = document.getElementById("search-page-form");
  var input = document.getElementById("search-page-query");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !input || !results || !status) return;
  var root = document.documentElement.getAttribute("data-root") || "";
  var PAGE = 10;
  // Words too common to narrow a search; a query of nothing else still
  // searches for them.
  var COMMON = ["a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "for", "from", "how", "in", "is",
    "it", "me", "my", "of", "on", "or", "the", "to", "was", "what", "when", "will", "with"];

  var files = {};
  var waiting = {};
  window.PAMPHLET_SEARCH_LOADED = function (name, data) {
    files[name] = data;
    (waiting[name] || []).forEach(function (done) { done.resolve(data); });
    delete waiting[name];
  };

  // Index files are scripts, not fetched data, so the search works from the
  // file system too; the site's CSP allows its own scripts.
  function load(name) {
    if (files[name]) return Promise.resolve(files[name]);
    return new Promise(function (resolve, reject) {
      if (waiting[name]) {
        waiting[name].push({ resolve: resolve, reject: reject });
        return;
      }
      waiting[name] = [{ resolve: resolve, reject: reject }];
      var script = document.createElement("script");
      script.src = root + "search/" + name + ".js";
      script.onerror = function () {
        (waiting[name] || []).forEach(function (done) { done.reject(new Error("could not load " + name)); });
        delete waiting[name];
      };
      document.head.appendChild(script);
    });
  }

  function terms(query) {
    var all = query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (t) { return Array.from(t).length >= 2; });
    var telling = all.filter(function (t) { return COMMON.indexOf(t) === -1; });
    return telling.length > 0 ? telling : all;
  }

  // As vocabulary_key in src/render/search.rs.
  function keyOf(word) {
    return Array.from(word).slice(0, 2).map(function (c) {
      return /^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(36) + "_";
    }).join("");
  }

  // Edits (insert, delete, replace, swap two neighbours) from a to b, or
  // limit + 1 once it is clear there are more.
  function distance(a, b, limit) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var before = null, previous = [], current;
    for (var j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      current = [i];
      var best = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var value = Math.min(previous[k] + 1, current[k - 1] + 1, previous[k - 1] + cost);
        if (before && i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) {
          value = Math.min(value, before[k - 2] + 1);
        }
        current.push(value);
        best = Math.min(best, value);
      }
      if (best > limit) return limit + 1;
      before = previous;
      previous = current;
    }
    return previous[b.length];
  }

  // The words of the vocabulary a typed word stands for: itself if the site
  // uses it; else the words it begins; else the closest misspelling fixes.
  function meanings(term, vocabulary) {
    if (Object.prototype.hasOwnProperty.call(vocabulary, term)) return { words: [term], exact: true };
    var words = Object.keys(vocabulary);
    var length = Array.from(term).length;
    if (length >= 4) {
      var longer = words.filter(function (w) { return w.lastIndexOf(term, 0) === 0; });
      if (longer.length > 0) return { words: longer.sort(byLength).slice(0, 5), exact: true };
    }
    var limit = length < 4 ? 0 : length < 8 ? 1 : 2;
    var closest = [], best = limit;
    words.forEach(function (w) {
      var d = distance(term, w, best);
      if (d < best) { best = d; closest = []; }
      if (d <= best) closest.push(w);
    });
    return { words: closest.sort(byLength).slice(0, 3), exact: false };
  }

  function byLength(a, b) { return a.length - b.length || (a < b ? -1 : 1); }

  function decode(postings) {
    var found = {}, article = 0, digits = "";
    for (var i = 0; i < postings.length; i++) {
      var c = postings.charAt(i);
      if (c >= "A" && c <= "H") {
        article += parseInt(digits, 36);
        found[article] = c.charCodeAt(0) - 65;
        digits = "";
      } else {
        digits += c;
      }
    }
    return found;
  }

  function points(places) { return (places & 4 ? 10 : 0) + (places & 2 ? 3 : 0) + (places & 1 ? 1 : 0); }

  // Where each term of the query leads: for each, the articles and where in
  // them it appears, and the words searched for when it was misspelt.
  function lookUp(term) {
    var key = keyOf(term);
    if (manifest.keys.indexOf(key) === -1) return Promise.resolve({ term: term, found: {}, instead: [] });
    return load("w-" + key).then(function (vocabulary) {
      var meant = meanings(term, vocabulary);
      return Promise.all(meant.words.map(function (word) {
        var value = vocabulary[word];
        var stem = Array.isArray(value) ? value[0] : word;
        var shard = Array.isArray(value) ? value[1] : value;
        return load("p-" + shard).then(function (postings) { return decode(postings[stem] || ""); });
      })).then(function (lists) {
        var found = {};
        lists.forEach(function (list) {
          Object.keys(list).forEach(function (article) { found[article] = (found[article] || 0) | list[article]; });
        });
        return { term: term, found: found, instead: meant.exact ? [] : meant.words };
      });
    });
  }

  function describe(hits, query, corrections) {
    var text = hits === 0
      ? "No articles match \u201c" + query + "\u201d. Try fewer or simpler words."
      : hits + (hits === 1 ? " article matches" : " articles match") + " \u201c" + query + "\u201d.";
    corrections.forEach(function (c) {
      if (c.instead.length > 0) text += " Searched for \u201c" + c.instead.join("\u201d, \u201c") + "\u201d instead of \u201c" + c.term + "\u201d.";
    });
    return text;
  }

  var shown = 0, ranked = [], asked = 0;

  function showMore(ask) {
    var next = ranked.slice(shown, shown + PAGE);
    shown += next.length;
    var needed = {};
    next.forEach(function (hit) { needed[Math.floor(hit.article / manifest.perDocs)] = true; });
    return Promise.all(Object.keys(needed).map(function (n) { return load("d-" + n); })).then(function () {
      if (ask !== asked) return;
      var more = document.getElementById("search-more");
      if (more) more.remove();
      next.forEach(function (hit) {
        var doc = files["d-" + Math.floor(hit.article / manifest.perDocs)][hit.article % manifest.perDocs];
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = root + doc[1];
        link.textContent = doc[0];
        item.appendChild(link);
        if (doc[2]) {
          var summary = document.createElement("p");
          summary.textContent = doc[2];
          item.appendChild(summary);
        }
        results.appendChild(item);
      });
      if (shown < ranked.length) {
        var button = document.createElement("button");
        button.type = "button";
        button.id = "search-more";
        button.className = "search-more";
        button.textContent = "Show more results";
        button.addEventListener("click", function () { showMore(ask); });
        results.insertAdjacentElement("afterend", button);
      }
    });
  }

  function show(query) {
    var wanted = terms(query);
    var ask = ++asked;
    results.textContent = "";
    var more = document.getElementById("search-more");
    if (more) more.remove();
    if (wanted.length === 0) {
      status.textContent = "";
      return Promise.resolve();
    }
    status.textContent = "Searching\u2026";
    return Promise.all(wanted.map(lookUp)).then(function (looked) {
      if (ask !== asked) return;
      var articles = Object.keys(looked[0].found).filter(function (article) {
        return looked.every(function (l) { return l.found[article] !== undefined; });
      });
      ranked = articles.map(function (article) {
        var score = looked.reduce(function (sum, l) { return sum + points(l.found[article]); }, 0);
        return { article: Number(article), score: score };
      }).sort(function (a, b) { return b.score - a.score || a.article - b.article; });
      shown = 0;
      status.textContent = describe(ranked.length, query, looked);
      return showMore(ask);
    }).catch(function () {
      if (ask === asked) status.textContent = "The search could not load. Try again, or browse the list of articles.";
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
