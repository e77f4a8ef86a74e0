// opsbook search: the header box (results as you type, `/` to focus, arrow keys) and the
// /search/ page (facets with counts, a shareable URL), over opsbook's own static index in
// search-index/ (docs/search-index.md). Plain JavaScript, no build step: the browser fetches
// the manifest, then only the dictionary shard, postings and fragments a query needs, and
// keeps them for the next keystroke.
(function () {
  "use strict";
  var base = document.documentElement.dataset.base || "";
  var ROOT = base + "/search-index/";
  var FETCH_TIMEOUT_MS = 10000;
  var PREFIX_EXPANSIONS = 5;
  var PREFIX_EXPANSIONS_OF_WORD = 3;
  var MAX_TERM_CHARS = 64;
  var PAGE_FIRST = 10;
  var PAGE_MAX = 50;

  // ---- Words, as the index spells them (src/search_index/tokenize.rs) -----------------------
  // Characters UAX #29 keeps inside a word and that separate its parts (tokenize::is_joiner).
  var JOINERS = ":\u00B7\u0387\u055F\u05F4\u2027\uFE13\uFE55\uFF1A,;\u037E\u0589\u060C\u060D\u066C\u07F8\u2044\uFE10\uFE14\uFE50\uFE54\uFF0C\uFF1B.\u2018\u2019\u2024\uFE52\uFF07\uFF0E_\u202F\u203F\u2040\u2054\uFE33\uFE34\uFE4D\uFE4E\uFE4F\uFF3F'\"";
  var HYPHENS = "-\u2010\u2011";
  function esc(s) { return s.replace(/[\\\]\[^-]/g, "\\$&"); }
  var WORD = "[\\p{L}\\p{N}\\p{M}\\p{Pc}]";
  // A token: runs of word characters joined by single joiners or hyphens (`eu-west-1`, `v2.3.1`).
  var TOKEN_RE = new RegExp(WORD + "+(?:[" + esc(JOINERS + HYPHENS) + "]" + WORD + "+)*", "gu");
  var SPLIT_RE = new RegExp("[" + esc(JOINERS + HYPHENS) + "]+", "u");
  // Scripts whose every character is a word of its own under UAX #29 (no spaces between words).
  var SINGLE_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]\p{M}*/u;
  var SINGLE_SPLIT_RE = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]\p{M}*)/u;
  var FORMAT_RE = /\p{Cf}/gu;

  function cut(s) {
    if (s.length <= MAX_TERM_CHARS) return s;
    return Array.from(s).slice(0, MAX_TERM_CHARS).join("");
  }
  function lower(s) { return s.replace(FORMAT_RE, "").toLowerCase(); }

  // The parts of a token: the runs between joiners, with each character of SINGLE scripts apart.
  function partsOf(tokenLower) {
    var out = [];
    tokenLower.split(SPLIT_RE).forEach(function (run) {
      if (!run) return;
      if (!SINGLE_RE.test(run)) { out.push(cut(run)); return; }
      run.split(SINGLE_SPLIT_RE).forEach(function (p) { if (p) out.push(cut(p)); });
    });
    return out;
  }

  // Every token of a text with its position: [{start, end, whole, parts: [{start, end, text}]}].
  var PART_RE = new RegExp("[" + esc(JOINERS + HYPHENS) + "]|" + SINGLE_RE.source, "gu");
  var PLAIN_RE = new RegExp("[" + esc(JOINERS + HYPHENS) + "]|" + SINGLE_RE.source, "u");
  function tokensOf(text) {
    var out = [];
    TOKEN_RE.lastIndex = 0;
    var m;
    while ((m = TOKEN_RE.exec(text))) {
      var raw = m[0], at0 = m.index;
      var whole = cut(lower(raw));
      if (!PLAIN_RE.test(raw)) {
        out.push({ start: at0, end: at0 + raw.length, whole: whole, parts: [{ start: at0, end: at0 + raw.length, text: whole }] });
        continue;
      }
      var parts = [];
      var pushPart = function (s, e) { if (e > s) parts.push({ start: at0 + s, end: at0 + e, text: cut(lower(raw.slice(s, e))) }); };
      var at = 0, pm;
      PART_RE.lastIndex = 0;
      while ((pm = PART_RE.exec(raw))) {
        if (pm[0].length === 1 && (JOINERS + HYPHENS).indexOf(pm[0]) >= 0) { pushPart(at, pm.index); at = pm.index + 1; }
        else { pushPart(at, pm.index); pushPart(pm.index, pm.index + pm[0].length); at = pm.index + pm[0].length; }
      }
      pushPart(at, raw.length);
      out.push({ start: at0, end: at0 + raw.length, whole: whole, parts: parts });
    }
    return out;
  }

  // A query: words (all required; the last one also a prefix unless the query ends with a space
  // or a quote), and which words form quoted phrases.
  function parseQuery(q) {
    var words = [];
    var quoted = [];
    var add = function (text, phrase) {
      tokensOf(text).forEach(function (t) {
        if (phrase) phrase.push(words.length);
        words.push({ whole: t.whole, parts: t.parts.map(function (x) { return x.text; }), quoted: !!phrase });
      });
    };
    var re = /"([^"]*)("|$)/g, at = 0, m;
    while ((m = re.exec(q))) {
      add(q.slice(at, m.index), null);
      var phrase = [];
      add(m[1], m[2] ? phrase : null);
      if (phrase.length > 1) quoted.push(phrase);
      at = re.lastIndex;
      if (m[0] === "") re.lastIndex++;
    }
    add(q.slice(at), null);
    var prefixLast = /[^\s"]$/.test(q) && words.length > 0 && !words[words.length - 1].quoted;
    return { words: words, quoted: quoted, prefixLast: prefixLast, normalized: words.map(function (w) { return w.whole; }).join(" ") };
  }

  // ---- Fetching -------------------------------------------------------------------------------
  function Unavailable(message, status) { this.message = message; this.status = status || 0; }
  Unavailable.prototype = Object.create(Error.prototype);
  Unavailable.prototype.name = "Unavailable";

  var files = new Map();
  function fetchFile(name, kind) {
    if (files.has(name)) return files.get(name);
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) controller.abort(); }, FETCH_TIMEOUT_MS);
    var p = fetch(ROOT + name, controller ? { signal: controller.signal, cache: name === "manifest.json" ? "no-cache" : "default" } : {})
      .then(function (r) {
        if (r.status === 503) throw new Unavailable("the index is still being built; try again in a moment", 503);
        if (!r.ok) throw new Unavailable("index file " + name + ": HTTP " + r.status, r.status);
        return kind === "json" ? r.json() : r.arrayBuffer();
      })
      .catch(function (e) {
        files.delete(name);
        if (e instanceof Unavailable) throw e;
        throw new Unavailable("index file " + name + ": " + (e && e.name === "AbortError" ? "timed out" : (e && e.message) || e));
      })
      .finally(function () { clearTimeout(timer); });
    files.set(name, p);
    return p;
  }

  // Decoded files, cached beside the raw ones; a file that does not decode is refused for good.
  var decoded = new Map();
  function load(name, kind, decode) {
    if (decoded.has(name)) return decoded.get(name);
    var p = fetchFile(name, kind).then(function (raw) {
      try { return decode(raw); } catch (e) { throw new Unavailable("index file " + name + " is malformed: " + (e && e.message || e)); }
    });
    decoded.set(name, p);
    p.catch(function () { decoded.delete(name); });
    return p;
  }

  // ---- Binary decoding (src/search_index/format.rs) -----------------------------------------
  var utf8 = new TextDecoder("utf-8", { fatal: true });
  function Reader(buf, magic) {
    var bytes = new Uint8Array(buf);
    if (bytes.length < 8 || String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]) !== magic) throw new Error("bad magic");
    var len = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] * 16777216);
    if (len !== bytes.length) throw new Error("length " + bytes.length + " does not match its header (" + len + ")");
    this.b = bytes;
    this.pos = 8;
  }
  Reader.prototype.u8 = function () {
    if (this.pos >= this.b.length) throw new Error("byte past the end");
    return this.b[this.pos++];
  };
  Reader.prototype.varint = function () {
    var v = 0, mul = 1;
    for (var i = 0; i < 8; i++) {
      var b = this.u8();
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
    throw new Error("varint too long");
  };
  Reader.prototype.bytes = function (n) {
    if (this.pos + n > this.b.length) throw new Error("bytes past the end");
    var out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  };
  Reader.prototype.hash = function () {
    var b = this.bytes(8), s = "";
    for (var i = 7; i >= 0; i--) s += (b[i] < 16 ? "0" : "") + b[i].toString(16);
    return s;
  };
  Reader.prototype.str = function () { return utf8.decode(this.bytes(this.varint())); };

  // Code point order, which is the UTF-8 byte order the dictionary is sorted in.
  function cmp(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return (a.length - i) - (b.length - j) > 0 ? 1 : (i < a.length ? 1 : (j < b.length ? -1 : 0));
  }

  function decodeShard(buf) {
    var r = new Reader(buf, "OBD1");
    var nfiles = r.varint(), fileNames = [];
    for (var i = 0; i < nfiles; i++) fileNames.push("post/" + r.hash() + ".bin");
    var nrows = r.varint(), rows = [];
    for (i = 0; i < nrows; i++) {
      var nseg = r.varint(), segs = [];
      // 0 segments: the stem's postings are inline (a rare word), `length` bytes of them.
      if (nseg === 0) { rows.push({ inline: r.bytes(r.varint()) }); continue; }
      for (var k = 0; k < nseg; k++) {
        var f = r.varint();
        if (f >= fileNames.length) throw new Error("file reference out of range");
        segs.push({ file: fileNames[f], offset: r.varint(), length: r.varint() });
      }
      rows.push(segs);
    }
    var n = r.varint(), words = new Array(n), freq = new Array(n), row = new Array(n);
    var prev = new Uint8Array(0);
    for (i = 0; i < n; i++) {
      var shared = r.varint(), len = r.varint();
      if (shared > prev.length) throw new Error("bad front coding");
      var word = new Uint8Array(shared + len);
      word.set(prev.subarray(0, shared));
      word.set(r.bytes(len), shared);
      prev = word;
      words[i] = utf8.decode(word);
      var ri = r.varint();
      if (ri >= rows.length) throw new Error("stem row out of range");
      row[i] = ri;
      freq[i] = r.varint();
    }
    if (r.pos !== r.b.length) throw new Error("trailing bytes");
    return { words: words, freq: freq, row: row, rows: rows };
  }

  function decodeFacetDocs(buf) {
    var r = new Reader(buf, "OBF1");
    var first = r.varint(), n = r.varint(), combos = new Uint32Array(n);
    for (var i = 0; i < n; i++) combos[i] = r.varint();
    return { first: first, combos: combos };
  }

  // One stem's segments: surface forms (from the first) and (doc, impact, exact id) postings.
  function decodeSegment(buf, seg, first) {
    var r = new Reader(buf, "OBP1");
    if (seg.offset + seg.length > r.b.length || seg.offset < 8) throw new Error("segment past the end of its file");
    r.pos = seg.offset;
    return readSegment(r, seg.offset + seg.length, first);
  }
  // Postings kept in the dictionary row; a stem with one form leaves it out (it is the word).
  function decodeInline(bytes, word) {
    var r = Object.create(Reader.prototype);
    r.b = bytes;
    r.pos = 0;
    var p = readSegment(r, bytes.length, true);
    if (!p.forms.length) p.forms.push(word);
    return p;
  }
  function readSegment(r, end, first) {
    var forms = [];
    if (first) { var nf = r.varint(); for (var i = 0; i < nf; i++) forms.push(r.str()); }
    var n = r.varint(), docs = new Uint32Array(n), impacts = new Uint8Array(n), exact = [];
    var doc = 0;
    for (i = 0; i < n; i++) {
      var v = r.varint();
      doc += Math.floor(v / 2);
      docs[i] = doc;
      if (v % 2) exact.push(doc);
      impacts[i] = r.u8();
    }
    if (r.pos !== end) throw new Error("segment length does not match its postings");
    return { forms: forms, docs: docs, impacts: impacts, exact: exact };
  }

  // ---- The index ------------------------------------------------------------------------------
  var manifestP = null;
  function manifest() {
    if (!manifestP) {
      manifestP = fetchFile("manifest.json", "json").then(function (m) {
        if (!m || m.version !== 2 || !Array.isArray(m.dict) || !Array.isArray(m.frags) || !(m.frag_chunk > 0) || !(m.frag_group > 0) || typeof m.documents !== "number") {
          throw new Unavailable("search-index/manifest.json is not an index this page understands");
        }
        return m;
      });
      manifestP.catch(function () { manifestP = null; });
    }
    return manifestP;
  }

  function shardIndex(m, word) {
    var lo = 0, hi = m.dict.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (cmp(m.dict[mid][0], word) <= 0) lo = mid + 1; else hi = mid; }
    return lo - 1;
  }
  function shard(m, i) { return load(m.dict[i][1], "bin", decodeShard); }

  function lowerBound(words, w) {
    var lo = 0, hi = words.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (cmp(words[mid], w) < 0) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function entry(s, i) {
    var row = s.rows[s.row[i]];
    return row.inline ? { word: s.words[i], freq: s.freq[i], inline: row.inline, segments: [] } : { word: s.words[i], freq: s.freq[i], segments: row };
  }

  // Dictionary entries for a word: the word itself, and with `prefix` the most frequent words
  // it begins (looked for in its shard and the next).
  function lookup(m, word, prefix) {
    var i = shardIndex(m, word);
    if (i < 0 && !prefix) return Promise.resolve([]);
    var first = Math.max(i, 0);
    return shard(m, first).then(function (s) {
      var out = [];
      var at = lowerBound(s.words, word);
      if (at < s.words.length && s.words[at] === word) out.push(entry(s, at));
      if (!prefix) return out;
      var found = [];
      for (var k = at; k < s.words.length && s.words[k].indexOf(word) === 0; k++) if (s.words[k] !== word) found.push(entry(s, k));
      var more = (k === s.words.length && first + 1 < m.dict.length && m.dict[first + 1][0].indexOf(word) === 0)
        ? shard(m, first + 1).then(function (t) {
          for (var j = 0; j < t.words.length && t.words[j].indexOf(word) === 0; j++) found.push(entry(t, j));
        })
        : Promise.resolve();
      return more.then(function () {
        found.sort(function (a, b) { return b.freq - a.freq; });
        // A word that is in the dictionary is only widened to its more frequent continuations
        // (`fail` -> `failover`, not `the` -> `then`, `there`, ...).
        if (out.length) found = found.filter(function (e) { return e.freq > out[0].freq; }).slice(0, PREFIX_EXPANSIONS_OF_WORD);
        return out.concat(found.slice(0, PREFIX_EXPANSIONS));
      });
    });
  }

  // Names a stem's postings: two forms of one stem share them (and their key).
  function postingsKey(e) {
    if (e.inline) return "inline:" + Array.prototype.join.call(e.inline, ".");
    return e.segments.map(function (s) { return s.file + ":" + s.offset; }).join(",");
  }
  var stemCache = new Map();
  function postings(e) {
    var key = postingsKey(e);
    if (stemCache.has(key)) return stemCache.get(key);
    if (e.inline) {
      var decoded;
      try { decoded = decodeInline(e.inline, e.word); } catch (err) { return Promise.reject(new Unavailable("a dictionary entry for " + e.word + " is malformed: " + err.message)); }
      // Not cached by key: a one-form stem's key (its bytes) can equal another's.
      return Promise.resolve(decoded);
    }
    var p = Promise.all(e.segments.map(function (seg, k) {
      return fetchFile(seg.file, "bin").then(function (buf) {
        try { return decodeSegment(buf, seg, k === 0); } catch (err) { throw new Unavailable("index file " + seg.file + " is malformed: " + err.message); }
      });
    })).then(function (parts) {
      if (parts.length === 1) return parts[0];
      var n = 0;
      parts.forEach(function (p) { n += p.docs.length; });
      var docs = new Uint32Array(n), impacts = new Uint8Array(n), exact = [], at = 0;
      parts.forEach(function (p) { docs.set(p.docs, at); impacts.set(p.impacts, at); at += p.docs.length; exact = exact.concat(p.exact); });
      return { forms: parts[0].forms, docs: docs, impacts: impacts, exact: exact };
    });
    stemCache.set(key, p);
    p.catch(function () { stemCache.delete(key); });
    return p;
  }

  // A document's fragment, from its group's file: frag/<folder of its chunk>/<doc / group>.json,
  // a JSON array of the group's documents (fetched once for all of them).
  function fragment(m, doc) {
    var folder = m.frags[Math.floor(doc / m.frag_chunk)];
    if (typeof folder !== "string" || !/^[0-9a-f]{16}$/.test(folder)) return Promise.reject(new Unavailable("document " + doc + " has no fragment"));
    var name = "frag/" + folder + "/" + Math.floor(doc / m.frag_group) + ".json";
    return load(name, "json", function (group) {
      if (!Array.isArray(group)) throw new Error("not a fragment file");
      return group;
    }).then(function (group) {
      var f = group.find(function (g) { return g && g.n === doc; });
      if (!f || typeof f.u !== "string" || !Array.isArray(f.x)) throw new Unavailable("index file " + name + " is malformed: no document " + doc);
      return f;
    });
  }


  // A query that arrives in one input (a pasted id, an autocompleted word) runs at once; typing,
  // a key at a time, waits until 30 ms have passed without another.
  function whenTyped(run) {
    var timer = null;
    return function (e) {
      var key = /^(insertText|deleteContent)/.test(e.inputType || "") && (e.data || "").length <= 1;
      clearTimeout(timer);
      if (key) timer = setTimeout(run, 30); else run();
    };
  }

  // ---- Queries --------------------------------------------------------------------------------
  // A term: one required query word, with the dictionary entries it matches (itself, its
  // prefix expansions) and the surface forms to highlight.
  function resolveTerm(m, text, prefix) {
    return lookup(m, text, prefix).then(function (entries) {
      return { text: text, entries: entries };
    });
  }

  // Terms for the query's words: a token is looked up whole; if it is not in the dictionary it
  // is looked up by its parts, which must then appear side by side (a phrase). Quoted words
  // make a phrase of their terms too.
  function resolveQuery(m, parsed) {
    var phrases = [];
    return Promise.all(parsed.words.map(function (w, i) {
      var last = parsed.prefixLast && i === parsed.words.length - 1;
      if (w.parts.length <= 1) {
        return resolveTerm(m, w.parts[0] || w.whole, last).then(function (term) { return [term]; });
      }
      return resolveTerm(m, w.whole, last).then(function (whole) {
        if (whole.entries.length) return [whole];
        return Promise.all(w.parts.map(function (p, k) { return resolveTerm(m, p, last && k === w.parts.length - 1); })).then(function (terms) {
          if (!w.quoted) phrases.push(terms);
          return terms;
        });
      });
    })).then(function (byWord) {
      var terms = [];
      byWord.forEach(function (g) { g.forEach(function (t) { terms.push(t); }); });
      parsed.quoted.forEach(function (phrase) {
        var seq = [];
        phrase.forEach(function (i) { byWord[i].forEach(function (t) { seq.push(t); }); });
        phrases.push(seq);
      });
      return { terms: terms, phrases: phrases };
    });
  }

  function idf(n, df) { return Math.log(1 + (n - df + 0.5) / (df + 0.5)); }

  // Every document that has all the terms, with its score: for each term the best of its
  // entries' idf x impact (a prefix expansion counts 0.8), summed; an exact id match first.
  function evaluate(m, resolved, single) {
    var terms = resolved.terms;
    if (!terms.length || terms.some(function (t) { return !t.entries.length; })) return Promise.resolve({ hits: [], forms: [] });
    return Promise.all(terms.map(function (t) {
      return Promise.all(t.entries.map(postings)).then(function (lists) { return { term: t, lists: lists }; });
    })).then(function (all) {
      var forms = [];
      var scores = null;
      // Rarest term first: the candidate set only shrinks.
      all.sort(function (a, b) { return total(a) - total(b); });
      all.forEach(function (x) {
        var s = new Map();
        var termForms = [x.term.text];
        x.lists.forEach(function (p, k) {
          var e = x.term.entries[k];
          var w = idf(m.documents, p.docs.length) * (e.word === x.term.text ? 1 : 0.8);
          p.forms.forEach(function (f) { termForms.push(f); });
          for (var i = 0; i < p.docs.length; i++) {
            var d = p.docs[i];
            if (scores && !scores.has(d)) continue;
            var v = w * p.impacts[i];
            var old = s.get(d);
            if (old === undefined || v > old) s.set(d, v);
          }
          if (single) p.exact.forEach(function (d) { if (s.has(d)) s.set(d, s.get(d) + 1e6); });
        });
        x.term.forms = termForms;
        forms = forms.concat(termForms);
        if (scores) { s.forEach(function (v, d) { s.set(d, v + scores.get(d)); }); }
        scores = s;
      });
      var hits = [];
      scores.forEach(function (v, d) { hits.push({ doc: d, score: v }); });
      hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      return { hits: hits, forms: forms };
    });
    function total(x) { var n = 0; x.lists.forEach(function (p) { n += p.docs.length; }); return n; }
  }

  // Whether a fragment holds each phrase: its terms' forms on consecutive words (a token may
  // match whole, or part by part).
  function hasPhrases(frag, phrases) {
    if (!phrases.length) return true;
    var texts = [frag.t || ""].concat(frag.x.map(function (s) { return s[0] + " \n " + s[2]; }));
    return phrases.every(function (phrase) {
      var sets = phrase.map(function (t) { return new Set(t.forms || [t.text]); });
      return texts.some(function (text) { return phraseIn(tokensOf(text), sets); });
    });
  }
  function phraseIn(tokens, sets) {
    // Flatten to parts, remembering where each token starts and how many parts it has.
    var parts = [], wholeAt = new Map();
    tokens.forEach(function (t) { wholeAt.set(parts.length, t); t.parts.forEach(function (p) { parts.push(p.text); }); });
    function match(pos, k) {
      if (k === sets.length) return true;
      if (pos >= parts.length) return false;
      var t = wholeAt.get(pos);
      if (t && t.parts.length > 1 && sets[k].has(t.whole) && match(pos + t.parts.length, k + 1)) return true;
      return sets[k].has(parts[pos]) && match(pos + 1, k + 1);
    }
    for (var i = 0; i < parts.length; i++) if (match(i, 0)) return true;
    return false;
  }

  // ---- Excerpts -------------------------------------------------------------------------------
  // Where the forms occur in a text: [[start, end], ...] (whole tokens, else their parts).
  function hitsIn(text, forms) {
    var out = [];
    // Most sections hold none of the words: a substring check spares tokenizing them.
    var lowered = lower(text), any = false;
    forms.forEach(function (f) { if (!any && f && lowered.indexOf(f) >= 0) any = true; });
    if (!any) return out;
    tokensOf(text).forEach(function (t) {
      if (forms.has(t.whole)) { out.push([t.start, t.end]); return; }
      t.parts.forEach(function (p) { if (forms.has(p.text)) out.push([p.start, p.end]); });
    });
    return out;
  }

  // Text with <mark>s, as DOM nodes (never markup from the index).
  function marked(parent, text, hits, from, to) {
    var at = from;
    hits.forEach(function (h) {
      if (h[0] < from || h[1] > to) return;
      if (h[0] > at) parent.appendChild(document.createTextNode(text.slice(at, h[0])));
      parent.appendChild(el("mark", null, text.slice(h[0], h[1])));
      at = h[1];
    });
    if (to > at) parent.appendChild(document.createTextNode(text.slice(at, to)));
  }

  // The excerpt (the densest stretch of the best section) and the sub-results (sections with
  // hits, most hits first).
  function analyse(frag, forms) {
    var best = null, subs = [];
    frag.x.forEach(function (s) {
      var text = s[2] || "";
      var hits = hitsIn(text, forms);
      var headingHits = hitsIn(s[0] || "", forms).length;
      if (hits.length || headingHits) {
        if (s[1]) subs.push({ heading: s[0], anchor: s[1], n: hits.length + 2 * headingHits });
        if (hits.length && (!best || hits.length > best.hits.length)) best = { text: text, hits: hits };
      }
    });
    subs.sort(function (a, b) { return b.n - a.n; });
    if (!best) {
      var first = frag.x.find(function (s) { return s[2]; });
      best = { text: first ? first[2] : "", hits: [] };
    }
    return { excerpt: window_(best), subs: subs };
  }
  function window_(best) {
    var text = best.text, hits = best.hits, WIDTH = 220;
    var center = 0;
    if (hits.length) {
      // The hit with the most other hits within WIDTH after it.
      var bestN = -1;
      for (var i = 0; i < hits.length; i++) {
        var n = 0;
        for (var j = i; j < hits.length && hits[j][0] < hits[i][0] + WIDTH * 0.6; j++) n++;
        if (n > bestN) { bestN = n; center = hits[i][0]; }
      }
    }
    var from = Math.max(0, center - 60);
    if (from > 0) { var sp = text.indexOf(" ", from); from = sp >= 0 && sp < center ? sp + 1 : from; }
    var to = Math.min(text.length, from + WIDTH);
    if (to < text.length) { var sp2 = text.lastIndexOf(" ", to); if (sp2 > from + WIDTH / 2) to = sp2; }
    return { text: text, hits: hits, from: from, to: to };
  }

  // ---- Rendering ------------------------------------------------------------------------------
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  // One result: title, id, kind, date, severity, excerpt with the matches marked, sub-results.
  function resultItem(frag, forms, compact) {
    var a = analyse(frag, forms);
    var li = el("li", "search-result");
    var head = el("p", "search-result-head");
    var link = el("a", "search-result-title", frag.t || frag.u);
    link.href = base + frag.u;
    head.appendChild(link);
    if (frag.i) head.appendChild(el("span", "doc-id", " " + frag.i));
    li.appendChild(head);
    var meta = el("p", "search-result-meta");
    meta.appendChild(el("span", "search-kind", frag.k || ""));
    if (frag.d) meta.appendChild(el("time", "muted", frag.d));
    if (frag.s) meta.appendChild(el("span", "badge sev sev-" + String(frag.s).replace(/[^a-zA-Z0-9_-]/g, ""), String(frag.s).toUpperCase()));
    li.appendChild(meta);
    var excerpt = el("p", "search-excerpt");
    var e = a.excerpt;
    if (e.from > 0) excerpt.appendChild(document.createTextNode("… "));
    marked(excerpt, e.text, e.hits, e.from, e.to);
    if (e.to < e.text.length) excerpt.appendChild(document.createTextNode(" …"));
    li.appendChild(excerpt);
    if (!compact && a.subs.length) {
      var ul = el("ul", "search-subresults");
      a.subs.slice(0, 3).forEach(function (s) {
        var sli = el("li");
        var sa = el("a", null, s.heading);
        sa.href = base + frag.u + "#" + encodeURIComponent(s.anchor);
        sli.appendChild(sa);
        ul.appendChild(sli);
      });
      li.appendChild(ul);
    }
    return li;
  }

  function normalize(s) { return tokensOf(s).map(function (t) { return t.whole; }).join(" "); }

  // Runs a query: resolves its terms and ranks every document that has them all. Fragments
  // are fetched afterwards, page by page (`fragmentsFor`).
  function search(q) {
    var parsed = parseQuery(q);
    return manifest().then(function (m) {
      if (!parsed.words.length) return { m: m, hits: null, forms: new Set(), phrases: [] };
      return resolveQuery(m, parsed).then(function (resolved) {
        return evaluate(m, resolved, parsed.words.length === 1).then(function (r) {
          return { m: m, hits: r.hits, forms: new Set(r.forms), phrases: resolved.phrases, normalized: parsed.normalized };
        });
      });
    });
  }

  // Fragments for hits[from..to), phrases checked, an exact title match moved first.
  function fragmentsFor(res, list) {
    return Promise.all(list.map(function (h) { return fragment(res.m, h.doc).then(function (f) { return { doc: h.doc, frag: f }; }); }))
      .then(function (items) {
        var kept = items.filter(function (it) { return hasPhrases(it.frag, res.phrases); });
        var exact = kept.findIndex(function (it) { return normalize(it.frag.t || "") === res.normalized || normalize(it.frag.i || "") === res.normalized; });
        if (exact > 0) kept.unshift(kept.splice(exact, 1)[0]);
        return kept;
      });
  }

  // A file the manifest names is gone: the site was rebuilt since the manifest was read (the
  // preview server after an edit, or a new deploy). Forget what was fetched, so the next try
  // reads the new manifest; true when a retry is worth it (not more than once in two seconds).
  var lastRefresh = 0;
  function staleIndex(e) {
    if (!(e instanceof Unavailable) || e.status !== 404 || Date.now() - lastRefresh < 2000) return false;
    lastRefresh = Date.now();
    files.clear();
    decoded.clear();
    manifestP = null;
    return true;
  }

  function failMessage(e) {
    return "Search is unavailable" + (e && e.message ? ": " + e.message : ".");
  }

  // ---- The header box -------------------------------------------------------------------------
  function headerSearch() {
    var input = document.getElementById("site-search-input");
    var box = document.getElementById("site-search-results");
    if (!input || !box) return;
    var active = -1;
    var seq = 0;

    function close() { box.hidden = true; active = -1; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); }
    function items() { return box.querySelectorAll("a.search-result-title"); }
    function highlight(n) {
      var links = items();
      if (!links.length) return;
      active = (n + links.length) % links.length;
      links.forEach(function (a, i) {
        var li = a.parentNode.parentNode;
        li.classList.toggle("is-active", i === active);
        li.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", links[active].parentNode.parentNode.id);
      links[active].scrollIntoView({ block: "nearest" });
    }
    function show(nodes) {
      box.textContent = "";
      nodes.forEach(function (n) { box.appendChild(n); });
      box.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }

    function run() {
      var raw = input.value, q = raw.trim();
      var mine = ++seq;
      if (!q) { close(); return; }
      search(raw).then(function (res) {
        if (mine !== seq) return null;
        var hits = res.hits || [];
        var need = res.phrases.length ? 30 : 7;
        return fragmentsFor(res, hits.slice(0, need)).then(function (items) {
          if (mine !== seq) return;
          var list = el("ol", "search-results compact");
          list.id = "site-search-list";
          list.setAttribute("role", "listbox");
          list.setAttribute("aria-label", "Search results");
          items.slice(0, 7).forEach(function (it, i) {
            var li = resultItem(it.frag, res.forms, true);
            li.id = "site-search-option-" + i;
            li.setAttribute("role", "option");
            li.setAttribute("aria-selected", "false");
            list.appendChild(li);
          });
          var total = res.phrases.length ? items.length : hits.length;
          var more = el("a", "search-more", items.length ? "All " + total + (res.phrases.length && hits.length > need ? "+" : "") + " results and filters →" : "No results. Try the search page →");
          more.href = base + "/search/?q=" + encodeURIComponent(q);
          show([list, more]);
        });
      }).catch(function (e) {
        if (mine !== seq) return;
        if (staleIndex(e)) { run(); return; }
        show([el("p", "search-status", failMessage(e))]);
      });
    }

    input.addEventListener("focus", function () { manifest().catch(function () {}); });
    input.addEventListener("input", whenTyped(run));
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

  // ---- The /search/ page ----------------------------------------------------------------------
  function facetTable(m) {
    if (!m.facets) return Promise.resolve({ facets: [], values: [], combos: [[]] });
    return load(m.facets, "json", function (t) {
      if (!t || !Array.isArray(t.facets) || !Array.isArray(t.values) || !Array.isArray(t.combos)) throw new Error("not a facet table");
      return t;
    });
  }
  // Each document's combination id, for the documents asked (or all of them).
  function combosFor(m, docs) {
    var chunks = new Set();
    if (docs) docs.forEach(function (d) { chunks.add(Math.floor(d / m.facet_chunk)); });
    else for (var i = 0; i < m.facet_docs.length; i++) chunks.add(i);
    var list = Array.from(chunks).filter(function (c) { return c < m.facet_docs.length; });
    return Promise.all(list.map(function (c) { return load(m.facet_docs[c], "bin", decodeFacetDocs); })).then(function (parts) {
      var byChunk = new Map();
      parts.forEach(function (p, k) { byChunk.set(list[k], p); });
      return function (d) {
        var p = byChunk.get(Math.floor(d / m.facet_chunk));
        if (!p) return 0;
        var c = p.combos[d - p.first];
        return c === undefined ? 0 : c;
      };
    });
  }

  function searchPage() {
    var form = document.getElementById("search-form");
    if (!form) return;
    var input = document.getElementById("search-query");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    // The facets this page shows, from its template; their labels are the legends.
    var FACETS = Array.prototype.map.call(form.querySelectorAll("fieldset[data-facet]"), function (f) { return f.dataset.facet; });
    var teamNames = {};
    try { teamNames = JSON.parse(form.dataset.teamNames || "{}"); } catch (e) { /* names are cosmetic */ }
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    var selected = {};
    FACETS.forEach(function (f) { selected[f] = params.getAll(f); });
    var seq = 0;

    function syncUrl() {
      var p = new URLSearchParams();
      if (input.value.trim()) p.set("q", input.value.trim());
      FACETS.forEach(function (f) { selected[f].forEach(function (v) { p.append(f, v); }); });
      var qs = p.toString();
      history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
    }

    function drawFacets(table, counts) {
      FACETS.forEach(function (f) {
        var set = form.querySelector('fieldset[data-facet="' + f + '"]');
        if (!set) return;
        var legend = set.querySelector("legend");
        set.textContent = "";
        if (legend) set.appendChild(legend);
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
          var shown = (table.labels[f] && table.labels[f][v]) || (f === "team" && teamNames[v]) || v;
          label.appendChild(document.createTextNode(" " + shown + " "));
          label.appendChild(el("span", "count", String((counts[f] || {})[v] || 0)));
          set.appendChild(label);
        });
      });
    }

    // Facet data in the shape this page uses: value ids by facet name and value, labels.
    var prepared = null;
    function prepare(t) {
      if (prepared && prepared.t === t) return prepared;
      var names = t.facets.map(function (f) { return f.name; });
      var labels = {}, valueOf = [];
      t.values.forEach(function (v, id) {
        var name = names[v[0]];
        valueOf[id] = { facet: name, value: v[1], total: v[3] };
        (labels[name] = labels[name] || {})[v[1]] = v[2];
      });
      prepared = { t: t, labels: labels, valueOf: valueOf, combos: t.combos };
      return prepared;
    }

    // Whether combination c passes the selected filters, leaving out facet `except`.
    function passes(table, c, except) {
      var combo = table.combos[c] || [];
      return FACETS.every(function (f) {
        if (f === except || !selected[f].length) return true;
        return combo.some(function (id) { var v = table.valueOf[id]; return v && v.facet === f && selected[f].indexOf(v.value) >= 0; });
      });
    }
    // Counts per facet value over `docs`, each facet counted with the other facets' filters.
    function countFacets(table, docs, comboOf) {
      var counts = {};
      FACETS.forEach(function (f) { counts[f] = {}; });
      docs.forEach(function (d) {
        var c = comboOf(d);
        (table.combos[c] || []).forEach(function (id) {
          var v = table.valueOf[id];
          if (!v || !counts[v.facet] || !passes(table, c, v.facet)) return;
          counts[v.facet][v.value] = (counts[v.facet][v.value] || 0) + 1;
        });
      });
      return counts;
    }
    function anyFilter() { return FACETS.some(function (f) { return selected[f].length; }); }

    function run() {
      syncUrl();
      var q = input.value.trim();
      var mine = ++seq;
      var filtering = anyFilter();
      if (!q && !filtering) {
        list.textContent = "";
        status.textContent = "Type to search, or pick a filter.";
        manifest().then(facetTable).then(function (t) {
          if (mine !== seq) return;
          var table = prepare(t), counts = {};
          FACETS.forEach(function (f) { counts[f] = {}; });
          table.valueOf.forEach(function (v) { if (counts[v.facet]) counts[v.facet][v.value] = v.total; });
          drawFacets(table, counts);
        }).catch(function (e) { if (mine === seq) status.textContent = failMessage(e); });
        return;
      }
      status.textContent = "Searching…";
      search(input.value).then(function (res) {
        if (mine !== seq) return null;
        var docs = res.hits ? res.hits.map(function (h) { return h.doc; }) : null;
        // Without filters the results are known already: show them while the facet data
        // (only the counts beside the filters) loads.
        var early = res.hits && !filtering;
        var shownEarly = early ? showResults(res, res.hits, mine) : null;
        // The counts' files are fetched once the results are in, not competing with them.
        var counted = Promise.resolve(shownEarly).then(function () { return facetTable(res.m); }).then(function (t) {
          var table = prepare(t);
          return combosFor(res.m, docs).then(function (comboOf) {
            if (mine !== seq) return null;
            var all = docs || (function () { var a = []; for (var d = 0; d < res.m.documents; d++) a.push(d); return a; })();
            drawFacets(table, countFacets(table, all, comboOf));
            if (early) return null;
            var shown = (res.hits || all.map(function (d) { return { doc: d }; })).filter(function (h) { return passes(table, comboOf(h.doc), null); });
            return showResults(res, shown, mine);
          });
        });
        return counted;
      }).catch(function (e) {
        if (mine !== seq) return;
        if (staleIndex(e)) { run(); return; }
        list.textContent = "";
        status.textContent = failMessage(e);
      });
    }

    // The first ten results as soon as their fragments arrive; ten more each time the reader
    // asks, so a query that matches most of the archive downloads only what is shown.
    function showResults(res, hits, mine) {
      var phrases = res.phrases.length > 0;
      var n = hits.length;
      var count = function (kept) {
        var total = phrases ? kept : n;
        var approx = phrases && n > PAGE_MAX * 2;
        return total === 0 ? "No results." : total + (approx ? "+" : "") + " result" + (total === 1 ? "" : "s") + ".";
      };
      if (n === 0) { list.textContent = ""; status.textContent = "No results."; return null; }
      var firstSlice = phrases ? hits.slice(0, PAGE_MAX * 2) : hits.slice(0, PAGE_FIRST);
      return fragmentsFor(res, firstSlice).then(function (items) {
        if (mine !== seq) return null;
        list.textContent = "";
        items.slice(0, phrases ? PAGE_MAX : PAGE_FIRST).forEach(function (it) { list.appendChild(resultItem(it.frag, res.forms, false)); });
        status.textContent = count(items.length);
        if (!phrases) moreButton(res, hits, PAGE_FIRST, mine);
        return null;
      });
    }

    function moreButton(res, hits, shown, mine) {
      if (shown >= hits.length) return;
      var item = el("li", "search-more-item");
      var button = el("button", "search-more-button", "Show " + Math.min(PAGE_FIRST, hits.length - shown) + " more (" + (hits.length - shown) + " left)");
      button.type = "button";
      button.addEventListener("click", function () {
        button.disabled = true;
        button.textContent = "Loading…";
        fragmentsFor(res, hits.slice(shown, shown + PAGE_FIRST)).then(function (more) {
          if (mine !== seq) return;
          item.remove();
          more.forEach(function (it) { list.appendChild(resultItem(it.frag, res.forms, false)); });
          moreButton(res, hits, shown + PAGE_FIRST, mine);
        }).catch(function (e) {
          button.disabled = false;
          button.textContent = failMessage(e);
        });
      });
      item.appendChild(button);
      list.appendChild(item);
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    input.addEventListener("input", whenTyped(run));
    run();
  }

  headerSearch();
  searchPage();
})();
