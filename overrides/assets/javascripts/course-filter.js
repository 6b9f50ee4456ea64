/*
 * The course catalogue's filter (loaded only by courses-index.html).
 *
 * Without this script every course is listed and the filter form stays hidden. With it, the
 * form is shown; its <select>s (topic, format, language offered, status) hide the cards that do
 * not match, the number of results is announced in the aria-live region, and the choice is kept
 * in the URL (?topic=…&format=…) so that a filtered list can be shared: opening that URL
 * applies the same filter again.
 *
 * Each select's name is a query parameter; a card's data-* attribute holds its values,
 * separated by spaces: topic -> data-topics, format -> data-format, language -> data-languages,
 * status -> data-status. The count's texts are the form's data-count-<plural form> attributes
 * (data-count-none for no result), chosen with Intl.PluralRules in the form's data-locale.
 * No framework, no inline script or style (Content-Security-Policy).
 */
(function () {
  "use strict";

  var ATTRIBUTES = { topic: "topics", format: "format", language: "languages", status: "status" };

  var form = document.querySelector("[data-course-filter]");
  var list = document.querySelector("[data-course-list]");
  var count = document.getElementById("tc-course-count");
  if (!form || !list || !count) {
    return;
  }
  var cards = Array.prototype.slice.call(list.querySelectorAll("[data-course]"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));

  function values(card, name) {
    return (card.getAttribute("data-" + ATTRIBUTES[name]) || "").split(" ");
  }

  function matches(card) {
    return selects.every(function (select) {
      return !select.value || values(card, select.name).indexOf(select.value) !== -1;
    });
  }

  /* The number of results in the page's language: its plural form from CLDR's rules
     (Intl.PluralRules: "one", "few", "other"…), as the build chose it for the full list. */
  var locale = form.getAttribute("data-locale") || document.documentElement.lang;
  var pluralRules = new Intl.PluralRules(locale);
  // Latin digits, as the build writes every number (Babel's default numbering system).
  var numbers = new Intl.NumberFormat(locale, { numberingSystem: "latn" });

  function countText(visible) {
    if (visible === 0 && form.hasAttribute("data-count-none")) {
      return form.getAttribute("data-count-none");
    }
    var text = form.getAttribute("data-count-" + pluralRules.select(visible)) ||
      form.getAttribute("data-count-other");
    return text.replace("{count}", numbers.format(visible));
  }

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (option) {
      return option.value === value;
    });
  }

  /* The filter as it is in the URL; unknown values (an old or mistyped link) are ignored. */
  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.name) || "";
      select.value = hasOption(select, wanted) ? wanted : "";
    });
  }

  function writeUrl() {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      if (select.value) {
        params.set(select.name, select.value);
      } else {
        params.delete(select.name);
      }
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", url);
  }

  function apply() {
    var visible = 0;
    cards.forEach(function (card) {
      var show = matches(card);
      card.hidden = !show;
      if (show) {
        visible += 1;
      }
    });
    var text = countText(visible);
    if (count.textContent !== text) {
      count.textContent = text;
    }
  }

  form.addEventListener("change", function () {
    apply();
    writeUrl();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  var reset = form.querySelector("[data-filter-reset]");
  if (reset) {
    reset.addEventListener("click", function () {
      selects.forEach(function (select) {
        select.value = "";
      });
      apply();
      writeUrl();
      if (selects.length) {
        selects[0].focus();
      }
    });
  }

  readUrl();
  apply();
  form.hidden = false;
})();
