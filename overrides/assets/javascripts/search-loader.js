/* Starts the site search (search.js) as a module inserted by this script rather than written
   in the page. Under the Content-Security-Policy (tcsite/cdn.py), scripts run only by hash, and
   'strict-dynamic' trusts what they load themselves; a module written in the page is
   "parser-inserted", and browsers do not extend that trust to its import() of Pagefind. */
(function () {
  "use strict";
  var module = document.createElement("script");
  module.type = "module";
  module.src = new URL("search.js", document.currentScript.src).href;
  document.head.appendChild(module);
})();
