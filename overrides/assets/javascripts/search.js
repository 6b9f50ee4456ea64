/* Site search in the header, with Pagefind (tcsite/search.py builds one index per language).
 *
 * Material's header search box (overrides/partials/search.html) drives Pagefind's JS API:
 * nothing is fetched until the reader opens the search; then pagefind.js loads the index of the
 * page's <html lang> only, and each query fetches just the chunks and excerpts it needs.
 *
 * Keyboard: "/" or "s" opens the search from anywhere on the page; Down and Up move between
 * the field and the results; Enter opens the first result (or the focused one); Escape closes.
 * The number of results is announced through the status line (role="status").
 *
 * No inline script, no innerHTML: excerpts are rebuilt as text and <mark> elements.
 */

const PAGE_SIZE = 10;
const EXCERPT_WORDS = 22;
const DEBOUNCE_MS = 150;

const root = document.querySelector("[data-tc-search]");
if (root) setUp(root);

function setUp(root) {
  const toggle = document.querySelector('[data-md-toggle="search"]');
  const form = root.querySelector("form");
  const input = root.querySelector(".md-search__input");
  const status = root.querySelector("[data-search-status]");
  const list = root.querySelector(".md-search-result__list");
  const more = root.querySelector("[data-search-more]");
  const filters = root.querySelector("[data-search-filters]");
  const text = root.dataset;
  const wide = window.matchMedia("(min-width: 60em)");
  const lang = document.documentElement.lang || undefined;

  let pagefind = null;      // Promise of the Pagefind module, once the reader opens the search
  let ready = false;
  let generation = 0;       // the latest search; older answers are dropped
  let results = [];
  let shown = 0;
  let shortcut = null;      // { from: element } when opened with "/" or "s": Escape goes back there

  /* --- Pagefind, loaded on first use ------------------------------------------------------ */

  function load() {
    if (!pagefind) {
      const bundle = new URL(root.dataset.bundle, document.baseURI).href;
      pagefind = import(bundle).then(async (module) => {
        await module.options({ excerptLength: EXCERPT_WORDS });
        await module.init();
        filters.hidden = false;  // the filters' values are fetched when the reader opens them
        ready = true;
        return module;
      });
      pagefind.catch((error) => {
        console.error("Search could not load its index:", error);
        say(text.textError);
      });
    }
    return pagefind;
  }

  /* --- Opening and closing: Material's search toggle, so its styles and scroll lock apply --- */

  function setOpen(open) {
    if (toggle && toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
    if (open) load();
  }

  // Escape: back to where the reader was before "/" or "s"; after a Tab or a click into the
  // field, the focus stays in it where the field stays visible (wide screens).
  function close() {
    const opener = shortcut;
    const from = opener?.from;
    setOpen(false);
    if (from && from.isConnected && from !== document.body) {
      from.focus();
    } else if (!opener && wide.matches) {
      input.focus();
    } else if (root.contains(document.activeElement)) {
      document.activeElement.blur();
    }
  }

  input.addEventListener("focus", () => setOpen(true));
  toggle?.addEventListener("change", () => {
    if (toggle.checked) {
      load();
      if (!root.contains(document.activeElement)) input.focus();
    } else {
      shortcut = null;
    }
  });
  // Leaving the search with the keyboard (Tab past the results) closes it.
  root.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !root.contains(event.relatedTarget)) setOpen(false);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const active = document.activeElement;
    const inside = root.contains(active);
    if (!inside) {
      if ((event.key === "/" || event.key === "s" || event.key === "S") && !isTyping(active)) {
        event.preventDefault();
        shortcut = { from: active };
        setOpen(true);
        input.focus();
        input.select();
      }
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (active.tagName === "SELECT" || active.tagName === "SUMMARY") return;
      event.preventDefault();
      move(active, event.key === "ArrowDown" ? 1 : -1);
    }
  });

  function isTyping(element) {
    if (!element) return false;
    return element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName);
  }

  function move(from, step) {
    const stops = [input, ...list.querySelectorAll("a"), ...(more.closest("[hidden]") ? [] : [more])];
    const index = stops.indexOf(from);
    const next = stops[Math.min(Math.max(index + step, 0), stops.length - 1)];
    next.focus();
    if (next !== input) next.scrollIntoView({ block: "nearest" });
  }

  /* --- Searching ------------------------------------------------------------------------ */

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector("a");
    if (first) window.location.assign(first.href);
  });
  form.addEventListener("reset", () => {
    setTimeout(() => {
      search();
      input.focus();
    });
  });
  input.addEventListener("input", () => search());
  filters.addEventListener("change", () => search());
  filters.addEventListener("toggle", () => {
    if (filters.open) fillFilters();
  });
  let fetchingMore = false;
  more.addEventListener("click", async () => {
    if (fetchingMore) return;
    fetchingMore = true;
    try {
      const first = await showMore(generation);
      first?.focus();  // the first of the new results
    } finally {
      fetchingMore = false;
    }
  });

  async function search() {
    const current = ++generation;
    const query = input.value.trim();
    const chosen = chosenFilters();
    if (!query && !Object.keys(chosen).length) {
      results = [];
      shown = 0;
      list.replaceChildren();
      more.parentElement.hidden = true;
      say(text.textPlaceholder);
      return;
    }
    let found;
    try {
      if (!ready) say(text.textInitializer);
      const module = await load();
      found = query
        ? await module.debouncedSearch(query, { filters: chosen }, DEBOUNCE_MS)
        : await module.search(null, { filters: chosen, sort: chosen.topic ? {} : { date: "desc" } });
    } catch (error) {
      console.error("Search failed:", error);
      say(text.textError);
      return;
    }
    if (found === null || current !== generation) return;  // a newer search has started
    results = found.results;
    shown = 0;
    list.replaceChildren();
    await showMore(current);
    if (current !== generation) return;
    say(count(results.length));
  }

  async function showMore(current) {
    const batch = results.slice(shown, shown + PAGE_SIZE);
    const pages = await Promise.all(batch.map((result) => result.data()));
    if (current !== generation) return null;
    const items = pages.map(resultItem);
    list.append(...items);
    shown += batch.length;
    more.parentElement.hidden = shown >= results.length;
    return items[0]?.querySelector("a") ?? null;
  }

  function count(n) {
    if (n === 0) return text.textNone;
    if (n === 1) return text.textOne;
    return text.textOther.replace("#", n.toLocaleString(lang));
  }

  // A new text node each time, so the same count after a new query is announced again.
  function say(message) {
    status.textContent = message;
  }

  /* --- Filters: the values in this language's index, fetched only when the reader asks --- */

  let filled = null;
  function fillFilters() {
    filled ??= load()
      .then((module) => module.filters())
      .then((available) => {
        for (const select of filters.querySelectorAll("select[data-filter]")) {
          const key = select.dataset.filter;
          const values = Object.keys(available[key] || {});
          if (!values.length) continue;
          values.sort(key === "year" ? (a, b) => b.localeCompare(a) : (a, b) => a.localeCompare(b, lang));
          for (const value of values) select.add(new Option(value, value));
          select.closest("[data-filter-field]").hidden = false;
        }
      })
      .catch((error) => console.error("Search filters could not load:", error));
    return filled;
  }

  function chosenFilters() {
    const chosen = {};
    for (const select of filters.querySelectorAll("select[data-filter]")) {
      if (select.value) chosen[select.dataset.filter] = select.value;
    }
    return chosen;
  }

  /* --- One result: title, date (posts), categories or topics, excerpt with the words found -- */

  // The title is the link (its accessible name); the date and excerpt follow it as text, and
  // the link's ::after (search.css) makes the whole result clickable.
  function resultItem(page) {
    const item = element("li", "md-search-result__item tc-search-result");
    const article = element("div", "md-search-result__article md-typeset");
    const link = element("a", "tc-search-result__title", page.meta?.title || page.url);
    link.href = page.url;
    article.append(link);
    const facts = [page.meta?.date, ...(page.filters?.category || []), ...(page.filters?.topic || [])].filter(Boolean);
    if (facts.length) article.append(element("span", "tc-search-result__meta", facts.join(" · ")));
    const excerpt = element("span", "tc-search-result__excerpt");
    excerpt.append(highlighted(page.excerpt || ""));
    article.append(excerpt);
    item.append(article);
    return item;
  }

  function element(tag, className, content) {
    const node = document.createElement(tag);
    node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  // Pagefind's excerpt is the page's text with < and > escaped and the matched words in <mark>.
  function highlighted(excerpt) {
    const fragment = document.createDocumentFragment();
    for (const part of excerpt.split(/(<mark>.*?<\/mark>)/s)) {
      if (!part) continue;
      const marked = /^<mark>(.*)<\/mark>$/s.exec(part);
      const node = document.createTextNode((marked ? marked[1] : part).replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
      if (marked) {
        const mark = document.createElement("mark");
        mark.append(node);
        fragment.append(mark);
      } else {
        fragment.append(node);
      }
    }
    return fragment;
  }
}
