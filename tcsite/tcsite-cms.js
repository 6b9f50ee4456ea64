/* Adapts Decap CMS to the Training Centre's files (copied to site/admin/ by tcsite/cms.py).

   Loaded before decap-cms.js: it asks Decap not to start on its own, then, once Decap is loaded,
   wraps its backends and starts it.

   1. File names. With `i18n: {structure: multiple_files}` Decap names every language version
      `x.<locale>.md`; our default language's file is `x.md` (its translation `x.es.md`). Every
      call Decap makes to its backend (GitHub, or decap-server for local editing) goes through
      `wrap`, which turns `x.en.md` into `x.md` on the way to the repository and back on the way
      to Decap. Decap thus reads and writes the files that the command line, `check` and the
      build use. A file really named `x.en.md` is still read.
   2. Listings. Folder collections list what `config.tcsite.folders` allows: the course
      catalogue (docs/courses/index.md) is not a course; the pages collection lists pages only.
   3. Translations. Decap checks required fields in the default language only, and writes a
      translation file even when only the shared facts (date, categories…) are in it. A
      translation without a title is therefore not written (the site shows its "only available
      in English" note), and one with a title but without another required text is refused with
      a message naming the fields. Empty fields (`code: null`) are left out of the files.
   4. The `tcsite-cost` widget: a one-line text saved as a number (450), or as `free`.
*/
(function () {
  "use strict";

  var LOCALE_SUFFIX = /^(.*)\.([A-Za-z][A-Za-z_-]*)\.md$/;

  function Paths(settings) {
    var locales = settings.locales || [];
    var fallback = settings.default_locale || locales[0];
    return {
      // What Decap asks for -> what is in the repository: x.en.md -> x.md.
      toRepo: function (path) {
        var match = typeof path === "string" && path.match(LOCALE_SUFFIX);
        return match && match[2] === fallback ? match[1] + ".md" : path;
      },
      // What is in the repository -> what Decap expects: x.md -> x.en.md; x.es.md unchanged.
      toCms: function (path) {
        if (typeof path !== "string" || path.slice(-3) !== ".md") return path;
        var match = path.match(LOCALE_SUFFIX);
        if (match && locales.indexOf(match[2]) >= 0) return path;
        return path.slice(0, -3) + "." + fallback + ".md";
      },
      // The language-neutral name of a file: x.md, x.en.md and x.es.md -> x.md.
      base: function (path) {
        var match = path.match(LOCALE_SUFFIX);
        return match && locales.indexOf(match[2]) >= 0 ? match[1] + ".md" : path;
      },
    };
  }

  // The front matter of a Markdown file as Decap writes it: top-level `name: value` lines.
  function splitFile(raw) {
    var match = /^---\r?\n([\s\S]*?)\r?\n---(\r?\n[\s\S]*)?$/.exec(raw || "");
    if (!match) return null;
    return { lines: match[1].split(/\r?\n/), body: match[2] || "" };
  }

  function filledFields(lines) {
    var filled = {};
    lines.forEach(function (line, index) {
      var field = /^([A-Za-z_][\w-]*):(.*)$/.exec(line);
      if (!field) return;
      var value = field[2].trim();
      var block = value === "" && /^\s/.test(lines[index + 1] || "");  // a list or text below
      if (block || (value !== "" && !/^(null|~|""|''|\[\])$/.test(value))) filled[field[1]] = true;
    });
    return filled;
  }

  function withoutNulls(raw) {
    var parts = splitFile(raw);
    if (!parts) return raw;
    var kept = parts.lines.filter(function (line) { return !/^[A-Za-z_][\w-]*: null$/.test(line); });
    return "---\n" + kept.join("\n") + "\n---" + parts.body;
  }

  function copySymbols(from, to) {
    // Decap keeps the pagination cursor of a listing in a symbol-keyed property of the array.
    Object.getOwnPropertySymbols(from).forEach(function (key) { to[key] = from[key]; });
    return to;
  }

  function wrap(implementation, config) {
    var settings = config.tcsite || {};
    var paths = Paths(settings);
    var folders = settings.folders || {};

    function entryToCms(entry) {
      if (!entry || !entry.file) return entry;
      return Object.assign({}, entry, { file: Object.assign({}, entry.file, { path: paths.toCms(entry.file.path) }) });
    }

    function allowed(folder) {
      var rule = folders[String(folder).replace(/^\/+|\/+$/g, "")];
      return function (entry) {
        if (!rule || !entry || !entry.file) return true;
        var base = paths.base(entry.file.path);
        if (rule.only) return rule.only.indexOf(base) >= 0;
        if (rule.except) return rule.except.indexOf(base) < 0;
        return true;
      };
    }

    function listing(folder) {
      return function (entries) {
        if (!Array.isArray(entries)) return entries;
        return copySymbols(entries, entries.map(entryToCms).filter(allowed(folder)));
      };
    }

    function collectionNamed(name) {
      return (config.collections || []).filter(function (c) { return c.name === name; })[0];
    }

    function localeOf(path) {
      var match = String(path).match(LOCALE_SUFFIX);
      return match ? match[2] : null;
    }

    // null: not translated (no title), leave the file out; else the required texts it lacks.
    function missingTexts(raw, collection) {
      var parts = splitFile(raw);
      if (!parts) return [];
      var filled = filledFields(parts.lines);
      if (!filled.title) return null;
      var missing = [];
      ((collection && collection.fields) || []).forEach(function (field) {
        var translated = field.i18n === true || field.i18n === "translate";
        if (!translated || field.required === false) return;
        var present = field.name === "body" ? /\S/.test(parts.body) : filled[field.name];
        if (!present) missing.push(field.label || field.name);
      });
      return missing;
    }

    function dataFileToRepo(file) {
      var copy = Object.assign({}, file, { path: paths.toRepo(file.path) });
      if (file.newPath) copy.newPath = paths.toRepo(file.newPath);
      return copy;
    }

    var overrides = {
      entriesByFolder: function (folder, extension, depth) {
        return implementation.entriesByFolder(folder, extension, depth).then(listing(folder));
      },
      allEntriesByFolder: function (folder, extension, depth) {
        // Decap's path pattern describes x.en.md names: the repository has x.md, so it is left out.
        return implementation.allEntriesByFolder(folder, extension, depth).then(listing(folder));
      },
      traverseCursor: function (cursor, action) {
        return implementation.traverseCursor(cursor, action).then(function (result) {
          return Object.assign({}, result, { entries: (result.entries || []).map(entryToCms) });
        });
      },
      entriesByFiles: function (files) {
        var inRepo = files.map(function (file) { return Object.assign({}, file, { path: paths.toRepo(file.path) }); });
        return implementation.entriesByFiles(inRepo).then(function (entries) { return entries.map(entryToCms); });
      },
      getEntry: function (path) {
        var inRepo = paths.toRepo(path);
        function asked(entry) {
          return Object.assign({}, entry, { file: Object.assign({}, entry && entry.file, { path: path }) });
        }
        if (inRepo === path) return implementation.getEntry(path);
        return implementation.getEntry(inRepo).then(
          function (entry) { return entry && entry.data !== "" ? asked(entry) : implementation.getEntry(path); },
          function () { return implementation.getEntry(path); }
        );
      },
      persistEntry: function (entry, options) {
        var collection = collectionNamed(options && options.collectionName);
        var fallback = settings.default_locale;
        var dataFiles = [];
        var refusal = null;
        (entry.dataFiles || []).forEach(function (file) {
          var locale = localeOf(file.path);
          var raw = withoutNulls(file.raw);
          if (locale && locale !== fallback) {
            var missing = missingTexts(raw, collection);
            if (missing === null) return;
            if (missing.length) {
              refusal = refusal || new Error("The " + locale.toUpperCase() + " version is incomplete: fill in " +
                missing.join(", ") + ", or empty its title to publish without this translation.");
            }
          }
          dataFiles.push(dataFileToRepo(Object.assign({}, file, { raw: raw })));
        });
        if (refusal) return Promise.reject(refusal);
        var copy = Object.assign({}, entry, { dataFiles: dataFiles });
        if (entry.path) copy.path = paths.toRepo(entry.path);
        if (entry.newPath) copy.newPath = paths.toRepo(entry.newPath);
        return implementation.persistEntry(copy, options);
      },
      deleteFiles: function (list, message) {
        return implementation.deleteFiles(list.map(paths.toRepo), message);
      },
      unpublishedEntry: function (args) {
        return implementation.unpublishedEntry(args).then(function (entry) {
          if (!entry || !Array.isArray(entry.diffs)) return entry;
          return Object.assign({}, entry, {
            diffs: entry.diffs.map(function (diff) {
              var copy = Object.assign({}, diff, { path: paths.toCms(diff.path) });
              if (diff.originalPath) copy.originalPath = paths.toCms(diff.originalPath);
              return copy;
            }),
          });
        });
      },
      unpublishedEntryDataFile: function (collection, slug, path, id) {
        return implementation.unpublishedEntryDataFile(collection, slug, paths.toRepo(path), id);
      },
    };

    return new Proxy(implementation, {
      get: function (target, name) {
        if (Object.prototype.hasOwnProperty.call(overrides, name) && typeof target[name] === "function") {
          return overrides[name];
        }
        var value = target[name];
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  function wrapBackends(CMS) {
    ["github", "proxy", "test-repo"].forEach(function (name) {
      var backend = CMS.getBackend(name);
      if (!backend || backend.tcsiteWrapped) return;
      var init = backend.init;
      backend.init = function (config, options) { return wrap(init(config, options), config); };
      backend.tcsiteWrapped = true;
    });
  }

  function registerCost(CMS) {
    var text = CMS.getWidget("string");
    CMS.registerWidget("tcsite-cost", "string", text.preview);
    CMS.registerWidgetValueSerializer("tcsite-cost", {
      serialize: function (value) {
        var written = String(value).trim();
        return /^[0-9]+(\.[0-9]+)?$/.test(written) ? Number(written) : written;
      },
      deserialize: function (value) { return typeof value === "number" ? String(value) : value; },
    });
  }

  // For tests (node): the path mapping alone.
  if (typeof module !== "undefined" && module.exports) {
    module.exports = { Paths: Paths, wrap: wrap };
    return;
  }

  window.CMS_MANUAL_INIT = true;
  document.addEventListener("DOMContentLoaded", function () {
    var CMS = window.CMS;
    if (!CMS) {
      document.body.textContent = "The content manager could not load (decap-cms.js is missing).";
      return;
    }
    wrapBackends(CMS);
    registerCost(CMS);
    CMS.init();
  });
})();
