/* Offers this page in the reader's preferred language when the page exists in it.
   Our own script: no cookie, nothing sent anywhere; a dismissal is remembered in
   localStorage. Never redirects: the reader chooses. */
(function () {
  "use strict";
  var STORAGE_KEY = "tc-language-notice-dismissed";

  function dismissed() {
    try { return window.localStorage.getItem(STORAGE_KEY) === "1"; } catch (e) { return false; }
  }

  function remember() {
    try { window.localStorage.setItem(STORAGE_KEY, "1"); } catch (e) { /* private mode */ }
  }

  function preferredLanguage() {
    var languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
    return String(languages[0] || "").toLowerCase().split("-")[0];
  }

  function init() {
    if (dismissed()) return;
    var pageLanguage = document.documentElement.lang.split("-")[0];
    var wanted = preferredLanguage();
    if (!wanted || wanted === pageLanguage) return;
    var notice = document.querySelector('[data-tc-language-notice="' + wanted + '"]');
    if (!notice) return;
    /* Over the bottom of the window (site.css): nothing on the page moves. What has the
       keyboard focus is scrolled clear of it. */
    var root = document.documentElement.style;
    notice.hidden = false;
    root.scrollPaddingBlockEnd = notice.offsetHeight + "px";
    notice.querySelector("[data-tc-dismiss]").addEventListener("click", function () {
      remember();
      notice.hidden = true;
      root.scrollPaddingBlockEnd = "";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
