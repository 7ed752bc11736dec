// Material for MkDocs' page helpers, which the theme otherwise defines in an inline script
// (partials/javascripts/base.html); kept identical in behaviour, and the class that says scripts run.
(function () {
  // Scripts run: the class the theme's own script would set, set before the page is first drawn, as
  // that script now starts only on the reader's first interaction (md-load.js). Under "no-js" the
  // theme hides the search button.
  document.documentElement.classList.replace("no-js", "js");
  var scope = document.currentScript.getAttribute("data-scope");
  window.__md_scope = new URL(scope, location);
  window.__md_hash = function (value) {
    return Array.prototype.reduce.call(value, function (hash, c) { return (hash << 5) - hash + c.charCodeAt(0); }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try {
      storage.setItem(base.pathname + "." + key, JSON.stringify(value));
    } catch (error) {}
  };
})();
