// Material for MkDocs' own script (search, the back-to-top button, the header's title, the sidebars'
// heights) starts on the reader's first touch, click, key, scroll or mouse move instead of while the
// page loads. Reading needs none of it: links, tables, the navigation drawer and the search box's
// toggle work without it. Loaded at once, it is one long task on a phone's main thread (a quarter of a
// second on a mid-range one), nearly all of the page's blocking time; on demand, it runs while the
// reader is already on the page, and only if they do something.
(function () {
  "use strict";
  var source = document.currentScript.getAttribute("data-src");
  var triggers = ["pointerdown", "pointermove", "touchstart", "keydown", "wheel", "scroll", "focusin", "click"];
  var started = false;
  var ready = false;  // DOMContentLoaded has been dispatched
  document.addEventListener("DOMContentLoaded", function () { ready = true; });
  var firstKey = null;

  // A key pressed outside a text field is played again once the theme listens (its shortcuts: / s f to
  // search, p n for the previous and next page).
  function typing(target) {
    return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
  }

  function start(event) {
    if (started) return;
    started = true;
    triggers.forEach(function (name) { window.removeEventListener(name, start, true); });
    if (event && event.type === "keydown" && !typing(event.target)) {
      firstKey = { key: event.key, code: event.code, shiftKey: event.shiftKey, altKey: event.altKey };
    }
    var script = document.createElement("script");
    script.src = source;
    script.addEventListener("load", function () {
      // The theme mounts its components on DOMContentLoaded; started after it, it is told that the
      // document is ready as its own instant navigation tells it of each new page.
      if (ready && window.document$) window.document$.next(document);
      if (firstKey) window.dispatchEvent(new KeyboardEvent("keydown", firstKey));
    });
    document.body.appendChild(script);
  }

  // A reader who comes from a search result (?h=...) sees the words highlighted at once, as before.
  if (new URLSearchParams(location.search).has("h")) {
    start();
    return;
  }
  triggers.forEach(function (name) { window.addEventListener(name, start, { capture: true, passive: true }); });
})();
