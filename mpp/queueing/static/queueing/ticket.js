// The ticket page updates itself every 5 s (without JavaScript it reloads every 30 s).
(function () {
  "use strict";
  var box = document.getElementById("ticket-state");
  if (!box || !window.fetch) return;
  function show(state) {
    box.querySelectorAll("[data-field]").forEach(function (el) {
      var value = state[el.getAttribute("data-field")];
      el.textContent = value === null || value === undefined ? "" : String(value);
    });
    box.querySelectorAll('[data-show="waiting"]').forEach(function (el) {
      el.hidden = state.position === null;
    });
    box.querySelectorAll('[data-show="counter"]').forEach(function (el) {
      el.hidden = !state.counter;
    });
  }
  function poll() {
    fetch(box.getAttribute("data-url"), { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) { if (state) show(state); })
      .catch(function () {})
      .then(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 5000);
})();
