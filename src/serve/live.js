// Pamphlet's live preview: reloads this page when a rebuild changed it or
// when the site's problems changed, and keeps the reader's place on the page.
// Served by `pamphlet serve` only; never part of a published site.
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = Number(script && script.getAttribute("data-generation")) || 0;
  var refused = document.querySelector(".pamphlet-overlay") !== null;
  var scrollKey = "pamphlet-scroll:" + location.pathname;

  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    window.scrollTo(0, Number(saved) || 0);
  }

  var here = decodeURIComponent(location.pathname).replace(/^\//, "");
  if (here === "" || here.slice(-1) === "/") {
    here += "index.html";
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  var events = new EventSource("/__pamphlet/events");
  events.addEventListener("open", function () {
    // Lets a test (or a curious editor) see that the preview is listening.
    document.documentElement.setAttribute("data-pamphlet-live", "connected");
  });
  events.addEventListener("rebuild", function (message) {
    var rebuild = JSON.parse(message.data);
    if (rebuild.generation <= generation) {
      return;
    }
    generation = rebuild.generation;
    var changedHere =
      rebuild.changed === "all" || rebuild.changed.indexOf(here) !== -1;
    if (rebuild.refused || refused || changedHere) {
      reload();
    }
  });
})();
