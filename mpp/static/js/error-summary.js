// Officer forms: after a refused submit, move keyboard and screen-reader focus to the error
// summary at the top, so its links lead straight to the fields. Without JS the summary is
// still first on the page and announced through role="alert".
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
})();
