// Progressive enhancement: show "print this page" buttons and wire them to window.print().
// Without JavaScript the browser's own print command uses the same print stylesheet.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
