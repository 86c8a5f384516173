// The TV display polls the board every second; after a network drop it keeps trying and
// says so on screen. A number called anew flashes and (if ticked) chimes.
(function () {
  "use strict";
  var root = document.getElementById("display");
  if (!root || !window.fetch) return;
  var rows = document.getElementById("display-rows");
  var next = document.getElementById("display-next");
  var offline = document.getElementById("display-offline");
  var chime = document.getElementById("display-chime");
  var seen = null;
  var audio = null;

  function ring() {
    if (!chime || !chime.checked) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.4);
    } catch (e) { /* no sound: the flash still shows */ }
  }

  function cell(tag, text, className) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (className) el.className = className;
    return el;
  }

  function render(board) {
    var keys = board.counters.map(function (c) { return c.counter + "|" + c.number + "|" + c.called_at + "|" + c.calls; });
    var fresh = [];
    if (seen) keys.forEach(function (k, i) { if (seen.indexOf(k) < 0 && board.counters[i].number) fresh.push(i); });
    seen = keys;
    rows.textContent = "";
    board.counters.forEach(function (c, i) {
      var tr = document.createElement("tr");
      var th = cell("th", c.counter + " ");
      th.setAttribute("scope", "row");
      th.appendChild(cell("small", c.agency));
      tr.appendChild(th);
      tr.appendChild(cell("td", c.number || "–", "display-number" + (fresh.indexOf(i) >= 0 ? " flash" : "")));
      rows.appendChild(tr);
    });
    next.textContent = "";
    if (!board.next.length) next.appendChild(cell("li", "–"));
    board.next.forEach(function (g) { next.appendChild(cell("li", g.numbers.join(", "))); });
    if (fresh.length) ring();
  }

  function poll() {
    fetch(root.getAttribute("data-url"), { cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (board) { offline.hidden = true; render(board); })
      .catch(function () { offline.hidden = false; })
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
