/* Loaded just before Material's bundle. Material looks up every <link rel="alternate"> and
   fetches "sitemap.xml" relative to each, to map the language switcher's links to the same
   page. Our switcher already links each page to its exact twin, and our alternates are
   absolute URLs (as search engines require), so those fetches would only ever 404 or, on a
   preview host, reach the production host. This hides the alternates from that one lookup;
   the links stay in the page for search engines and feed readers. */
(function () {
  "use strict";
  var SELECTOR = "link[rel=alternate]";
  var original = Document.prototype.querySelectorAll;
  Document.prototype.querySelectorAll = function (selectors) {
    if (selectors === SELECTOR) return original.call(this, "link[rel=alternate][data-md-sitemap]");
    return original.call(this, selectors);
  };
})();
