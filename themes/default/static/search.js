// opsbook search: the header box (results as you type, `/` to focus, arrow keys) and the
// /search/ page (facets with counts, a shareable URL). Pagefind's index loads on first use;
// the browser then fetches only the index fragments a query needs.
(function () {
  "use strict";
  var base = document.documentElement.dataset.base || "";
  // A large archive has several indexes (pagefind/, pagefind-2/, ...), searched together.
  var indexes = Number(document.documentElement.dataset.searchIndexes) || 1;
  var pagefind = null;
  var loading = null;
  // The facets the search page shows, in its order: the template writes one fieldset per facet.
  var FACETS = Array.prototype.map.call(document.querySelectorAll("#search-facets [data-facet]"), function (f) { return f.dataset.facet; });

  function mergeIndex(pf, path) {
    return function () { return pf.mergeIndex(path, { baseUrl: base + "/" }); };
  }

  function load() {
    if (pagefind) return Promise.resolve(pagefind);
    if (!loading) {
      loading = import(base + "/pagefind/pagefind.js").then(function (pf) {
        var ready = Promise.resolve(pf.options({ baseUrl: base + "/" }));
        // One merge at a time: Pagefind's merges started together can race and never settle.
        for (var k = 2; k <= indexes; k++) {
          ready = ready.then(mergeIndex(pf, base + "/pagefind-" + k + "/"));
        }
        return ready.then(function () {
          pf.init();
          pagefind = pf;
          return pf;
        });
      });
    }
    return loading;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  // One result as a list item: title, kind, date, severity, excerpt with the match marked.
  function resultItem(data, compact) {
    var li = el("li", "search-result");
    var head = el("p", "search-result-head");
    var link = el("a", "search-result-title", data.meta.title || data.url);
    link.href = data.url;
    head.appendChild(link);
    if (data.meta.id) head.appendChild(el("span", "doc-id", " " + data.meta.id));
    li.appendChild(head);
    var meta = el("p", "search-result-meta");
    meta.appendChild(el("span", "search-kind", data.meta.kind || ""));
    if (data.meta.date) meta.appendChild(el("time", "muted", data.meta.date));
    if (data.meta.severity) meta.appendChild(el("span", "badge sev sev-" + data.meta.severity, data.meta.severity.toUpperCase()));
    li.appendChild(meta);
    var excerpt = el("p", "search-excerpt");
    // Pagefind's excerpt is escaped text with <mark> around the matches.
    excerpt.innerHTML = data.excerpt;
    li.appendChild(excerpt);
    if (!compact && data.sub_results) {
      var subs = data.sub_results.filter(function (s) { return s.url.indexOf("#") > 0; }).slice(0, 3);
      if (subs.length) {
        var ul = el("ul", "search-subresults");
        subs.forEach(function (s) {
          var a = el("a", null, s.title);
          a.href = s.url;
          var sli = el("li");
          sli.appendChild(a);
          ul.appendChild(sli);
        });
        li.appendChild(ul);
      }
    }
    return li;
  }

  // ---- The header box -------------------------------------------------------------------
  function headerSearch() {
    var input = document.getElementById("site-search-input");
    var box = document.getElementById("site-search-results");
    if (!input || !box) return;
    var active = -1;
    var seq = 0;

    function close() { box.hidden = true; active = -1; input.setAttribute("aria-expanded", "false"); }
    function items() { return box.querySelectorAll("a.search-result-title"); }
    function highlight(n) {
      var links = items();
      if (!links.length) return;
      active = (n + links.length) % links.length;
      links.forEach(function (a, i) { a.parentNode.parentNode.classList.toggle("is-active", i === active); });
      input.setAttribute("aria-activedescendant", "");
      links[active].scrollIntoView({ block: "nearest" });
    }

    input.addEventListener("focus", function () { load(); });
    input.addEventListener("input", function () {
      var q = input.value.trim();
      var mine = ++seq;
      if (!q) { close(); return; }
      load().then(function (pf) { return pf.debouncedSearch(q, {}, 120); }).then(function (search) {
        if (!search || mine !== seq) return null;
        return Promise.all(search.results.slice(0, 7).map(function (r) { return r.data(); })).then(function (all) {
          if (mine !== seq) return;
          box.textContent = "";
          var list = el("ol", "search-results compact");
          all.forEach(function (d) { list.appendChild(resultItem(d, true)); });
          box.appendChild(list);
          var more = el("a", "search-more", all.length ? "All " + search.results.length + " results and filters →" : "No results. Try the search page →");
          more.href = base + "/search/?q=" + encodeURIComponent(q);
          box.appendChild(more);
          box.hidden = false;
          input.setAttribute("aria-expanded", "true");
          active = -1;
        });
      });
    });
    input.addEventListener("keydown", function (e) {
      if (box.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); location.href = items()[active].href; }
    });
    document.addEventListener("click", function (e) { if (!box.contains(e.target) && e.target !== input) close(); });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
      if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        var target = document.getElementById("search-query") || input;
        target.focus();
        target.select();
      }
    });
  }

  // ---- The /search/ page ------------------------------------------------------------------
  function searchPage() {
    var form = document.getElementById("search-form");
    if (!form) return;
    var input = document.getElementById("search-query");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var teamNames = {};
    try { teamNames = JSON.parse(form.dataset.teamNames || "{}"); } catch (e) { /* names are cosmetic */ }
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    var selected = {};
    FACETS.forEach(function (f) { selected[f] = params.getAll(f); });
    var seq = 0;

    function filters() {
      var out = {};
      FACETS.forEach(function (f) { if (selected[f].length) out[f] = { any: selected[f] }; });
      return out;
    }

    function syncUrl() {
      var p = new URLSearchParams();
      if (input.value.trim()) p.set("q", input.value.trim());
      FACETS.forEach(function (f) { selected[f].forEach(function (v) { p.append(f, v); }); });
      var qs = p.toString();
      history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
    }

    function drawFacets(counts) {
      FACETS.forEach(function (f) {
        var set = form.querySelector('fieldset[data-facet="' + f + '"]');
        if (!set) return;
        var legend = set.querySelector("legend");
        set.textContent = "";
        set.appendChild(legend);
        var values = Object.keys(counts[f] || {});
        selected[f].forEach(function (v) { if (values.indexOf(v) < 0) values.push(v); });
        if (f === "year") values.sort().reverse(); else values.sort();
        if (!values.length) { set.appendChild(el("p", "muted facet-empty", "None")); return; }
        values.forEach(function (v) {
          var id = "facet-" + f + "-" + v.replace(/[^a-zA-Z0-9_-]/g, "_");
          var label = el("label", "facet-option");
          label.htmlFor = id;
          var box = el("input");
          box.type = "checkbox";
          box.id = id;
          box.name = f;
          box.value = v;
          box.checked = selected[f].indexOf(v) >= 0;
          box.addEventListener("change", function () {
            selected[f] = box.checked ? selected[f].concat([v]) : selected[f].filter(function (x) { return x !== v; });
            run();
          });
          label.appendChild(box);
          label.appendChild(document.createTextNode(" " + (f === "team" && teamNames[v] ? teamNames[v] : v) + " "));
          label.appendChild(el("span", "count", String((counts[f] || {})[v] || 0)));
          set.appendChild(label);
        });
      });
    }

    function run() {
      syncUrl();
      var q = input.value.trim();
      var mine = ++seq;
      var active = Object.keys(filters()).length;
      if (!q && !active) {
        list.textContent = "";
        status.textContent = "Type to search, or pick a filter.";
        load().then(function (pf) { return pf.filters(); }).then(function (counts) { if (mine === seq) drawFacets(counts); });
        return;
      }
      status.textContent = "Searching…";
      // Loading every filter's counts first makes each search report all facets, not just the active ones.
      load().then(function (pf) { return pf.filters().then(function () { return pf.search(q || null, { filters: filters() }); }); }).then(function (search) {
        if (mine !== seq || !search) return null;
        drawFacets(search.filters || {});
        var n = search.results.length;
        // The first ten show as soon as their fragments arrive; the rest follow.
        var show = function (from, to) {
          return Promise.all(search.results.slice(from, to).map(function (r) { return r.data(); })).then(function (all) {
            if (mine !== seq) return false;
            if (from === 0) list.textContent = "";
            all.forEach(function (d) { list.appendChild(resultItem(d, false)); });
            return true;
          });
        };
        status.textContent = n === 0 ? "No results." : n + " result" + (n === 1 ? "" : "s") + (n > 50 ? ", showing the first 50" : "") + ".";
        if (n === 0) list.textContent = "";
        return show(0, 10).then(function (current) { if (current && n > 10) return show(10, 50); });
      }).catch(function (e) { status.textContent = "Search failed to load: " + e; });
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    var timer = null;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    run();
  }

  headerSearch();
  searchPage();
})();
