#!/usr/bin/env bash
# Build-time benchmark of opsbook against Hugo (and mdBook), with the Pagefind CLI as the
# search baseline, on generated corpora.
#
#   benches/bench.sh [--pages 1000,10000] [--runs N] [--corpus realtext|small] [--out FILE]
#                    [--limit SECONDS] [--runs-large N] [--serve] [--serve-rounds N]
#                    [--search] [--search-runs N] [--no-build]
#   benches/bench.sh --quick        # 1,000 pages, opsbook only, 3 runs, prints a table
#
# --corpus: realtext (default: shared/bench/gen_corpus_realtext.py, and benches/gen_schema_corpus.py
#   for the schema row) or small (shared/bench/gen_corpus.py, the ~70-word corpus of earlier runs).
# --limit: each build of each tool is killed after this long (default 1800) and its row says so.
# --runs-large: builds per tool at >= 100,000 pages (default 1: the /usr/bin/time -v run only).
# --serve: also measure the preview server's edit-to-reload latency (benches/serve_latency.py).
# --search: also measure search in headless Chromium (benches/search_latency.mjs), opsbook's
#   /search/ against Pagefind's JS API on the Pagefind CLI's index of the same pages.
# Run from anywhere; paths are taken relative to the repository root. See benches/README.md.
# Environment: OPSBOOK_SHARED (the shared/ folder holding bench/, default ../shared), KEEP=1
# (keep the corpora and outputs in the temp folder), CORPUS_CACHE=DIR (generate each corpus once
# into DIR and use it again on later runs), PAGEFIND_HUGO=0 (skip the Pagefind CLI on Hugo's
# pages, a long run at 100,000), NO_BUILD=1 (same as --no-build), TMPDIR
# (where the temp folder goes, default /tmp), CHROMIUM (default /usr/bin/chromium).
set -euo pipefail

usage() {
    sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
}

ARGS="$*"
PAGES="1000,10000"
RUNS=3
RUNS_LARGE=1
LARGE=${LARGE:-100000}  # page counts from here on use --runs-large (env LARGE=10000 for a shorter run)
LIMIT=1800
OUT="benches/RESULTS.md"
QUICK=0
SERVE=0
SERVE_ROUNDS=20
BROWSER=0
SEARCH_RUNS=3
CORPUS=realtext
NO_BUILD="${NO_BUILD:-0}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --pages) PAGES="${2:?--pages needs a value, e.g. 1000,10000}"; shift 2 ;;
        --pages=*) PAGES="${1#*=}"; shift ;;
        --runs) RUNS="${2:?--runs needs a number}"; shift 2 ;;
        --runs=*) RUNS="${1#*=}"; shift ;;
        --runs-large) RUNS_LARGE="${2:?--runs-large needs a number}"; shift 2 ;;
        --runs-large=*) RUNS_LARGE="${1#*=}"; shift ;;
        --limit) LIMIT="${2:?--limit needs a number of seconds}"; shift 2 ;;
        --limit=*) LIMIT="${1#*=}"; shift ;;
        --out) OUT="${2:?--out needs a file}"; shift 2 ;;
        --out=*) OUT="${1#*=}"; shift ;;
        --serve) SERVE=1; shift ;;
        --serve-rounds) SERVE_ROUNDS="${2:?--serve-rounds needs a number}"; shift 2 ;;
        --serve-rounds=*) SERVE_ROUNDS="${1#*=}"; shift ;;
        --search) BROWSER=1; shift ;;
        --search-runs) SEARCH_RUNS="${2:?--search-runs needs a number}"; shift 2 ;;
        --search-runs=*) SEARCH_RUNS="${1#*=}"; shift ;;
        --corpus) CORPUS="${2:?--corpus needs realtext or small}"; shift 2 ;;
        --corpus=*) CORPUS="${1#*=}"; shift ;;
        --no-build) NO_BUILD=1; shift ;;
        --quick) QUICK=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ $QUICK == 1 ]]; then
    PAGES=1000
    RUNS=3
fi
case "$CORPUS" in realtext|small) ;; *) echo "bench.sh: --corpus must be realtext or small, not '$CORPUS'" >&2; exit 2 ;; esac
if [[ $CORPUS == small && $BROWSER == 1 ]]; then
    # search_latency.mjs needs words that occur in one document only: the small corpus has none.
    echo "bench.sh: --search needs --corpus realtext" >&2; exit 2
fi
for opt in "--runs:$RUNS" "--runs-large:$RUNS_LARGE" "--limit:$LIMIT" "--serve-rounds:$SERVE_ROUNDS" "--search-runs:$SEARCH_RUNS"; do
    [[ ${opt#*:} =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: ${opt%%:*} must be a positive integer" >&2; exit 2; }
done
IFS=',' read -r -a PAGE_COUNTS <<< "$PAGES"
for n in "${PAGE_COUNTS[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: bad page count '$n'" >&2; exit 2; }
done
# Smallest first: a tool that runs out of time is not tried again on a larger corpus.
mapfile -t PAGE_COUNTS < <(printf '%s\n' "${PAGE_COUNTS[@]}" | sort -n -u)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
case "$OUT" in /*) ;; *) OUT="$ROOT/$OUT" ;; esac

log() { printf '[bench] %s\n' "$*" >&2; }

# --- the corpus generators -------------------------------------------------------------
SHARED="${OPSBOOK_SHARED:-$ROOT/../shared}"
[[ -d $SHARED ]] && SHARED="$(cd "$SHARED" && pwd)"
if [[ $CORPUS == realtext ]]; then
    GEN="$SHARED/bench/gen_corpus_realtext.py"
    SCHEMA_GEN="$ROOT/benches/gen_schema_corpus.py"
else
    GEN="$SHARED/bench/gen_corpus.py"
    SCHEMA_GEN=""
fi
if [[ ! -f $GEN ]]; then
    echo "bench.sh: $GEN not found (set OPSBOOK_SHARED to the shared/ folder holding bench/)" >&2
    exit 1
fi
command -v python3 >/dev/null || { echo "bench.sh: python3 is needed to generate the corpora" >&2; exit 1; }
# Writes the corpus of tool $1 with $2 pages into $3. The schema row (tool "opsbook") gets the
# handbook layout whose reviews are validated: gen_schema_corpus.py on the realtext archive.
generate() {
    local tool="$1" n="$2" dir="$3"
    # CORPUS_CACHE: a corpus generated once (100,000 pages take ~13 minutes per layout) is kept
    # there and used again; the run's folder links to it. Outputs are written beside it.
    if [[ -n ${CORPUS_CACHE:-} ]]; then
        local cached="$CORPUS_CACHE/$CORPUS-$n/$tool"
        if [[ ! -e $cached/.complete ]]; then
            rm -rf "$cached" && mkdir -p "$(dirname "$cached")"
            generate_into "$tool" "$n" "$cached" && touch "$cached/.complete" || return 1
        else
            echo "corpus from CORPUS_CACHE: $cached"
        fi
        rm -rf "$dir" && ln -s "$cached" "$dir"
        return 0
    fi
    generate_into "$tool" "$n" "$dir"
}
generate_into() {
    local tool="$1" n="$2" dir="$3"
    if [[ $tool == opsbook && -n $SCHEMA_GEN ]]; then
        python3 "$SCHEMA_GEN" --realtext "$GEN" --pages "$n" --out "$dir"
    else
        python3 "$GEN" --tool "$tool" --pages "$n" --out "$dir"
    fi
}

# --- tools ------------------------------------------------------------------------------
MISSING=()
HAVE_HYPERFINE=1
command -v hyperfine >/dev/null || { HAVE_HYPERFINE=0; MISSING+=("hyperfine (apt-get install hyperfine); wall times fall back to a shell timing loop"); }
TIME_BIN=/usr/bin/time
HAVE_TIME=1
if ! [[ -x $TIME_BIN ]] || ! "$TIME_BIN" -v true >/dev/null 2>&1; then
    HAVE_TIME=0
    MISSING+=("GNU time (apt-get install time); CPU time and peak RSS are left out")
fi
HAVE_HUGO=0; HAVE_MDBOOK=0
if [[ $QUICK == 0 ]]; then
    if command -v hugo >/dev/null; then HAVE_HUGO=1; else MISSING+=("hugo (apt-get install hugo); its rows are skipped"); fi
    if command -v mdbook >/dev/null; then HAVE_MDBOOK=1; else MISSING+=("mdbook (cargo install mdbook --locked); its rows are skipped"); fi
fi
# The Pagefind CLI (the search baseline) and playwright-core come from benches/package.json,
# pinned by its package-lock.json. Unlike Hugo and mdBook they are not optional: without them
# the run stops here rather than leave the baseline out.
BENCHES="$ROOT/benches"
PAGEFIND=0
if [[ $QUICK == 0 || $BROWSER == 1 ]]; then
    PAGEFIND=1
    command -v node >/dev/null && command -v npm >/dev/null && command -v npx >/dev/null ||
        { echo "bench.sh: node, npm and npx are needed for the Pagefind CLI (apt-get install nodejs npm)" >&2; exit 1; }
    if [[ ! -x $BENCHES/node_modules/.bin/pagefind || ! -d $BENCHES/node_modules/playwright-core ]]; then
        log "npm ci in benches/ (pagefind, playwright-core)"
        (cd "$BENCHES" && npm ci --no-audit --no-fund --loglevel=error) ||
            { echo "bench.sh: npm ci in $BENCHES failed" >&2; exit 1; }
    fi
    PAGEFIND_VERSION=$(cd "$BENCHES" && npx --no-install pagefind --version) ||
        { echo "bench.sh: npx pagefind --version failed in $BENCHES" >&2; exit 1; }
fi
if [[ $BROWSER == 1 ]]; then
    CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
    [[ -x $CHROMIUM ]] || { echo "bench.sh: --search needs chromium at $CHROMIUM (apt-get install chromium, or set CHROMIUM)" >&2; exit 1; }
    export CHROMIUM
fi
for m in "${MISSING[@]+"${MISSING[@]}"}"; do log "missing: $m"; done

# --- build opsbook once -----------------------------------------------------------------
OPSBOOK="$ROOT/target/release/opsbook"
if [[ $NO_BUILD == 1 ]]; then
    log "NO_BUILD=1: using the existing $OPSBOOK"
else
    log "cargo build --release"
    cargo build --release --quiet
fi
[[ -x $OPSBOOK ]] || { echo "bench.sh: $OPSBOOK was not built" >&2; exit 1; }
SERVE_SCRIPT="$ROOT/benches/serve_latency.py"

# --- temp folder ------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/opsbook-bench.XXXXXX")"
cleanup() {
    if [[ ${KEEP:-0} == 1 ]]; then
        log "KEEP=1: corpora and outputs left in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# --- helpers ----------------------------------------------------------------------------
# Median of numbers on stdin.
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) exit 1; if (NR%2) printf "%.4f", a[(NR+1)/2]; else printf "%.4f", (a[NR/2]+a[NR/2+1])/2}'; }
mb() { awk -v b="$1" 'BEGIN {printf "%.1f", b/1000000}'; }
kb() { awk -v b="$1" 'BEGIN {printf "%.1f", b/1000}'; }
gb() { awk -v b="$1" 'BEGIN {printf "%.1f GB", b/1e9}'; }
q() { printf '%q' "$1"; }
# "30 min" for --limit 1800: what a row says when a build ran out of time.
LIMIT_TEXT=$(awk -v s="$LIMIT" 'BEGIN {if (s % 3600 == 0) printf "%d h", s/3600; else if (s % 60 == 0) printf "%d min", s/60; else printf "%d s", s}')
# Every build runs under this. Without --foreground, timeout signals its whole process group, so
# the tool dies too, not just the `bash -c` around it; KILL follows 30 s after TERM.
TIMEOUT=(timeout --kill-after=30 "$LIMIT")
# Builds per tool at page count $1 (hyperfine runs below LARGE; all builds from LARGE on).
runs_for() { if (($1 >= LARGE)); then echo "$RUNS_LARGE"; else echo "$RUNS"; fi; }

# --- disk space -------------------------------------------------------------------------
# Bytes on disk per page (du -s, so each small file counts whole blocks), measured at 10,000
# pages: the sources are ~8 KB for every layout; the outputs ~23 KB (opsbook, with its search
# index and listing pages), ~14 KB (hugo) and ~60 KB (mdbook: print.html and its search index),
# plus ~8 KB for the Pagefind CLI's index on the opsbook (plain) and hugo outputs.
need_bytes() {
    local n="$1" out
    case "$2" in opsbook*) out=32768 ;; hugo) out=24576 ;; mdbook) out=65536 ;; esac
    echo $((n * (8192 + out)))
}
free_bytes() { df -Pk "$WORK" | awk 'NR == 2 {printf "%.0f", $4 * 1024}'; }
# Stops the run when the corpus and output about to be made clearly do not fit.
check_disk() {
    local need="$1" what="$2" free
    free=$(free_bytes)
    if ((free < need)); then
        echo "bench.sh: not enough free disk in $WORK: $what needs about $(gb "$need"), $(gb "$free") free." >&2
        echo "bench.sh: free some space, set TMPDIR to a folder on a larger disk, or use smaller --pages." >&2
        exit 1
    fi
}

# Wall time: $runs full builds, each after $prepare. Prints one time in seconds per line.
# Returns 124 when a build ran out of time, 1 when one failed.
measure_wall() {
    local name="$1" prepare="$2" cmd="$3" json="$4" runs="$5"
    if [[ $HAVE_HYPERFINE == 1 ]]; then
        if ! hyperfine --style basic --runs "$runs" --prepare "$prepare" --export-json "$json" \
            --command-name "$name" "${TIMEOUT[*]} $cmd" >"$json.log" 2>&1; then
            log "hyperfine failed for $name: see $json.log"; tail -5 "$json.log" >&2
            grep -q 'non-zero exit code: 124' "$json.log" && return 124
            return 1
        fi
        python3 -c 'import json,sys; [print("%.4f" % t) for t in json.load(open(sys.argv[1]))["results"][0]["times"]]' "$json"
    else
        local i t0 t1 status
        for ((i = 0; i < runs; i++)); do
            bash -c "$prepare"
            t0=$(date +%s.%N)
            status=0
            "${TIMEOUT[@]}" bash -c "$cmd" >/dev/null 2>&1 || status=$?
            ((status == 0)) || return $((status == 124 ? 124 : 1))
            t1=$(date +%s.%N)
            awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f\n", b-a}'
        done
    fi
}

# One build under /usr/bin/time -v and the time limit; sets WALL_S (timed with date, so it
# works without GNU time), CPU_S and RSS_MB (or "n/a"), and TIMED_OUT. Returns the exit status.
measure_resources() {
    local cmd="$1" tv="$2" outlog="$3" status=0 t0 t1
    CPU_S="n/a"; RSS_MB="n/a"; TIMED_OUT=0
    t0=$(date +%s.%N)
    if [[ $HAVE_TIME == 1 ]]; then
        # time -v sums the CPU of all waited-for descendants (timeout, bash -c, the tool) and
        # reports the largest one's peak RSS, which is the tool's.
        "$TIME_BIN" -v -o "$tv" "${TIMEOUT[@]}" bash -c "$cmd" >"$outlog" 2>&1 || status=$?
    else
        "${TIMEOUT[@]}" bash -c "$cmd" >"$outlog" 2>&1 || status=$?
    fi
    t1=$(date +%s.%N)
    WALL_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b-a}')
    # 124 is timeout's own status; 137 after its KILL (also an OOM kill, hence the clock check).
    if ((status != 0)) && awk -v w="$WALL_S" -v l="$LIMIT" 'BEGIN {exit !(w >= l)}'; then
        TIMED_OUT=1
    fi
    if [[ $HAVE_TIME == 1 && $status == 0 ]]; then
        CPU_S=$(awk -F': ' '/User time \(seconds\)/ {u=$2} /System time \(seconds\)/ {s=$2} END {printf "%.2f", u+s}' "$tv")
        RSS_MB=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$tv")
    fi
    return $status
}

# Runs serve_latency.py on an opsbook corpus and appends one row to $SERVE_ROWS.
measure_serve() {
    local n="$1" dir="$2" json="$WORK/$n/serve.json" status=0
    log "$n pages: preview server, $SERVE_ROUNDS edit(s) (serve_latency.py)"
    # The script has its own time-outs (first build: --limit; each edit: 120 s); this is a backstop.
    timeout --kill-after=30 $((LIMIT + SERVE_ROUNDS * 130 + 60)) \
        python3 "$SERVE_SCRIPT" "$dir" --bin "$OPSBOOK" --rounds "$SERVE_ROUNDS" \
        --startup-timeout "$LIMIT" --json "$json" --log "$WORK/$n/serve.log" \
        >"$WORK/$n/serve.out" 2>&1 || status=$?
    if [[ ! -s $json ]]; then
        NOTES+=("preview server, $n pages: serve_latency.py failed (status $status): $(grep -v '^ *$' "$WORK/$n/serve.out" | tail -1 | cut -c1-300)")
        printf '%s\tfailed\n' "$n" >>"$SERVE_ROWS"
        FAILURES=$((FAILURES + 1))
        return
    fi
    # The row is keyed by the page count asked for (the corpus has a few more markdown files:
    # team, template and section pages).
    python3 - "$json" "$n" >>"$SERVE_ROWS" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
ms = lambda x, k: "n/a" if x is None else "%.0f" % (x[k] * 1000)
mb = lambda kb: "n/a" if kb is None else "%.1f" % (kb / 1024)
print("\t".join([sys.argv[2], "ok", "%.1f" % d["startup_s"],
                 ms(s["reload_s"], "median"), ms(s["reload_s"], "p90"), ms(s["reload_s"], "max"),
                 ms(s["visible_s"], "median"), ms(s["visible_s"], "p90"), ms(s["visible_s"], "max"),
                 mb(d.get("rss_kb")), mb(d.get("hwm_kb")), str(len(d["rounds"])), d["page_file"]]))
PY
    if ((status != 0)); then
        NOTES+=("preview server, $n pages: serve_latency.py exited with status $status: $(grep -v '^ *$' "$WORK/$n/serve.out" | tail -1 | cut -c1-300)")
        FAILURES=$((FAILURES + 1))
    fi
}

# --- the run ----------------------------------------------------------------------------
ROWS="$WORK/rows.tsv"        # n, tool, wall (or what happened), cpu, rss, out_mb, files, status
SEARCH="$WORK/search.tsv"    # n, tool, what, bytes, gzip_bytes, detail
SERVE_ROWS="$WORK/serve.tsv" # n, status, startup, reload median/p90/max, visible median/p90/max, rss, hwm, rounds, page
CMDS="$WORK/commands.txt"
LATENCY="$WORK/latency.tsv"  # n, one JSON line of search_latency.mjs
LATENCY_WORDS="$WORK/latency-words.tsv"  # n, which documents hold the picked words
: >"$ROWS"; : >"$SEARCH"; : >"$SERVE_ROWS"; : >"$CMDS"; : >"$LATENCY"; : >"$LATENCY_WORDS"
NOTES=()
declare -A DNF=()            # tool -> page count at which it ran out of time
declare -A LAST_WALL=() LAST_N=()  # tool -> wall seconds at the largest page count measured so far

if [[ $QUICK == 1 ]]; then
    TOOLS=(opsbook-plain opsbook)
else
    TOOLS=(opsbook-plain opsbook hugo mdbook)
fi
have_tool() {
    case "$1" in
        hugo) [[ $HAVE_HUGO == 1 ]] ;;
        mdbook) [[ $HAVE_MDBOOK == 1 ]] ;;
        *) true ;;
    esac
}

# Fail now, not hours in: the largest single corpus and output (everything, with KEEP=1).
need_max=0; need_all=0; need_what=""
for n in "${PAGE_COUNTS[@]}"; do
    for tool in "${TOOLS[@]}"; do
        have_tool "$tool" || continue
        b=$(need_bytes "$n" "$tool")
        need_all=$((need_all + b))
        if ((b > need_max)); then need_max=$b; need_what="the $n-page $tool corpus and output"; fi
    done
done
if [[ ${KEEP:-0} == 1 ]]; then
    check_disk "$need_all" "KEEP=1 with all corpora and outputs"
else
    check_disk "$need_max" "$need_what"
fi

if [[ -n $SCHEMA_GEN ]]; then
    others=(); for t in "${TOOLS[@]}"; do [[ $t == opsbook ]] || others+=("$t"); done
    echo "python3 $GEN --tool TOOL --pages N --out CORPUS   # TOOL in ${others[*]}" >>"$CMDS"
    echo "python3 benches/gen_schema_corpus.py --realtext $GEN --pages N --out CORPUS   # opsbook (schema)" >>"$CMDS"
else
    echo "python3 $GEN --tool TOOL --pages N --out CORPUS   # TOOL in ${TOOLS[*]}" >>"$CMDS"
fi

# Times one command and appends its row to $ROWS: one build under /usr/bin/time -v (CPU, peak
# RSS, the output's size), then the wall-time runs (see the comment in the loop below).
#   timed_row N LABEL KEY PREPARE CMD LOGBASE SIZE_DIR
# KEY names the tool for the out-of-time bookkeeping (DNF, LAST_WALL). SIZE_DIR is what the
# output columns measure (the whole output, or only the pagefind/ folder for the CLI rows).
# Sets ROW_STATUS (ok, failed, timeout) and ROW_WALL; returns 1 unless ok.
timed_row() {
    local n="$1" label="$2" key="$3" prepare="$4" cmd="$5" base="$6" size_dir="$7"
    local status extra samples more rc first_wall out_bytes files wall
    ROW_STATUS=failed; ROW_WALL=""
    if [[ $n == "${PAGE_COUNTS[0]}" ]]; then
        printf '%-18s prepare: %s\n%-18s command: %s\n' "$label" "${prepare//$WORK/\$WORK}" "" "${cmd//$WORK/\$WORK}" >>"$CMDS"
    fi
    log "$n pages, $label: /usr/bin/time -v run (limit $LIMIT_TEXT)"
    bash -c "$prepare"
    if ! measure_resources "$cmd" "$base.time" "$base.log"; then
        if [[ $TIMED_OUT == 1 ]]; then
            log "$label did not finish the $n-page corpus in $LIMIT_TEXT; killed, row has no numbers"
            NOTES+=("$label did not finish the $n-page corpus within the --limit of $LIMIT_TEXT: it was killed, no numbers are given, and it is not tried on larger corpora")
            printf '%s\t%s\tdid not finish in %s\t\t\t\t\ttimeout\n' "$n" "$label" "$LIMIT_TEXT" >>"$ROWS"
            DNF[$key]=$n; ROW_STATUS=timeout
        else
            log "$label FAILED on the $n-page corpus (last lines of its output below); row skipped"
            tail -5 "$base.log" | sed 's/^/    /' >&2
            NOTES+=("$label failed on the $n-page corpus: $(tail -1 "$base.log" | cut -c1-300)")
            printf '%s\t%s\tfailed\t\t\t\t\tfailed\n' "$n" "$label" >>"$ROWS"
            FAILURES=$((FAILURES + 1))
        fi
        return 1
    fi
    if [[ ! -d $size_dir ]]; then
        NOTES+=("$label wrote no $(basename "$size_dir")/ folder for $n pages")
        printf '%s\t%s\tfailed\t\t\t\t\tfailed\n' "$n" "$label" >>"$ROWS"
        FAILURES=$((FAILURES + 1))
        return 1
    fi
    first_wall=$WALL_S
    out_bytes=$(du -sb "$size_dir" | cut -f1)
    files=$(find "$size_dir" -type f | wc -l)

    # Below LARGE: the median of $runs hyperfine runs, after the /usr/bin/time run above.
    # From LARGE on, that run is the first sample (one build of 100,000 pages can take many
    # minutes) and hyperfine adds only $runs - 1 more.
    status="ok"
    if ((n >= LARGE)); then extra=$((runs - 1)); samples="$first_wall"; else extra=$runs; samples=""; fi
    if ((extra > 0)); then
        log "$n pages, $label: wall time, $extra run(s)"
        rc=0
        more=$(measure_wall "$label" "$prepare" "$cmd" "$base.hyperfine.json" "$extra") || rc=$?
        if ((rc == 124)); then
            NOTES+=("$label: a timing run of the $n-page corpus did not finish within the --limit of $LIMIT_TEXT (the /usr/bin/time run did; CPU, RSS and output are from it); it is not tried on larger corpora")
            status="timeout"; wall="did not finish in $LIMIT_TEXT"
            DNF[$key]=$n
        elif ((rc != 0)); then
            NOTES+=("$label: timing runs failed on the $n-page corpus")
            status="failed"; wall="failed"
            FAILURES=$((FAILURES + 1))
        else
            samples=$(printf '%s\n%s\n' "$samples" "$more" | { grep -v '^$' || true; })
        fi
    fi
    [[ $status == ok ]] && wall=$(printf '%s\n' "$samples" | median)
    [[ $status == ok ]] && { LAST_WALL[$key]=$wall; LAST_N[$key]=$n; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$label" "$wall" "$CPU_S" "$RSS_MB" \
        "$(mb "$out_bytes")" "$files" "$status" >>"$ROWS"
    log "$n pages, $label: wall ${wall}s, CPU ${CPU_S}s, RSS ${RSS_MB} MB, $(mb "$out_bytes") MB in $files files"
    ROW_STATUS=$status; ROW_WALL=$wall
    [[ $status == ok ]]
}

# Sizes of a search index for the search index table: opsbook's own (search-index/) or the
# Pagefind CLI's (pagefind/).
#   index_rows N LABEL OUTPUT FOLDER
index_rows() {
    local n="$1" label="$2" output="$3" folder="$4" bytes files big_bytes big_path
    if [[ ! -d $output/$folder ]]; then
        NOTES+=("$label, $n pages: no $folder/ folder in its output")
        return
    fi
    bytes=$(du -sb "$output/$folder" | cut -f1)
    files=$(find "$output/$folder" -type f | wc -l)
    # The Pagefind CLI also writes its UI bundles (pagefind-ui.js, pagefind-component-ui.js, ...,
    # up to 184 KB), which a page on its JS API never loads: left out of "largest file".
    read -r big_bytes big_path < <(cd "$output" && find "$folder" -type f ! -name '*-ui.js' ! -name '*-ui.css' \
        ! -name 'pagefind-highlight.js' -printf '%s %p\n' | sort -n | tail -1)
    printf '%s\t%s\t%s\t%s\t\t%s\n' "$n" "$label" "$folder/ (all)" "$bytes" "$files files" >>"$SEARCH"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$label" "$folder/ largest file" "$big_bytes" \
        "$(gzip -c "$output/$big_path" | wc -c)" "$big_path" >>"$SEARCH"
}

# Runs search_latency.mjs on an output folder; keeps its JSON lines and table.
#   measure_search N LABEL OUTPUT CORPUS [--pagefind-page]
measure_search() {
    local n="$1" label="$2" output="$3" corpus="$4" status=0
    shift 4
    local slug="${label//[^a-zA-Z0-9]/_}"
    log "$n pages, search in Chromium: $label ($SEARCH_RUNS run(s))"
    timeout --kill-after=10 $((SEARCH_RUNS * 600 + 60)) \
        node "$BENCHES/search_latency.mjs" --site "$output" --corpus "$corpus" --label "$label" \
        --runs "$SEARCH_RUNS" --json "$WORK/$n/search-$slug.jsonl" "$@" \
        >"$WORK/$n/search-$slug.out" 2>&1 || status=$?
    if ((status != 0)); then
        log "search latency FAILED for $label, $n pages:"
        tail -5 "$WORK/$n/search-$slug.out" | sed 's/^/    /' >&2
        NOTES+=("search latency, $label, $n pages: search_latency.mjs failed (status $status): $(grep -v '^ *$' "$WORK/$n/search-$slug.out" | tail -1 | cut -c1-300)")
        FAILURES=$((FAILURES + 1))
        return
    fi
    sed "s/^/$n\t/" "$WORK/$n/search-$slug.jsonl" >>"$LATENCY"
    # The words it picked, and where they occur, once per page count.
    grep -m1 '^unique: only in' "$WORK/$n/search-$slug.out" | sed "s/^/$n\t/" >>"$LATENCY_WORDS" || true
}

# The Pagefind CLI on a built site, as its users run it: timed like a build (PREPARE deletes
# the previous index), then its index sizes, then (with --search) the search page on it.
#   pagefind_rows N LABEL KEY OUTPUT CORPUS BASE
pagefind_rows() {
    local n="$1" label="$2" key="$3" output="$4" corpus="$5" base="$6"
    timed_row "$n" "$label" "$key" "rm -rf $(q "$output/pagefind") $(q "$output/pf-search") && sync" \
        "env -C $(q "$BENCHES") npx --no-install pagefind --site $(q "$output")" "$base" "$output/pagefind" || return 0
    index_rows "$n" "$label" "$output" pagefind
    if [[ $BROWSER == 1 ]]; then
        measure_search "$n" "$label" "$output" "$corpus" --pagefind-page
    fi
}

FAILURES=0
for n in "${PAGE_COUNTS[@]}"; do
    runs=$(runs_for "$n")
    mkdir -p "$WORK/$n"
    for tool in "${TOOLS[@]}"; do
        have_tool "$tool" || continue
        case "$tool" in
            opsbook-plain) label="opsbook (plain)" ;;
            opsbook) label="opsbook (schema)" ;;
            *) label="$tool" ;;
        esac
        # Out of time on a smaller corpus: a larger one would only burn another --limit.
        if [[ -n ${DNF[$tool]:-} ]]; then
            printf '%s\t%s\tnot run (did not finish %s pages in %s)\t\t\t\t\tskipped\n' \
                "$n" "$label" "${DNF[$tool]}" "$LIMIT_TEXT" >>"$ROWS"
            continue
        fi
        # Build time grows at least linearly with pages: if that alone would pass the limit, a
        # build would only burn --limit (mdBook grows quadratically here).
        if [[ -n ${LAST_WALL[$tool]:-} ]] && awk -v w="${LAST_WALL[$tool]}" -v a="${LAST_N[$tool]}" -v b="$n" -v l="$LIMIT" 'BEGIN { exit !(w * b / a > l) }'; then
            printf '%s\t%s\tnot run (%s s at %s pages: over %s expected)\t\t\t\t\tskipped\n' \
                "$n" "$label" "${LAST_WALL[$tool]}" "${LAST_N[$tool]}" "$LIMIT_TEXT" >>"$ROWS"
            NOTES+=("$label was not run on $n pages: it took ${LAST_WALL[$tool]} s on ${LAST_N[$tool]} pages, so even linear growth would exceed the --limit of $LIMIT_TEXT")
            continue
        fi
        dir="$WORK/$n/$tool"
        check_disk "$(need_bytes "$n" "$tool")" "the $n-page $tool corpus and output"
        log "$n pages, $tool: generating"
        if ! generate "$tool" "$n" "$dir" >"$dir.gen.log" 2>&1; then
            log "generating the $n-page $tool corpus FAILED:"; tail -5 "$dir.gen.log" | sed 's/^/    /' >&2
            NOTES+=("the $n-page $tool corpus could not be generated: $(tail -1 "$dir.gen.log" | cut -c1-300)")
            printf '%s\t%s\tfailed (corpus)\t\t\t\t\tfailed\n' "$n" "$label" >>"$ROWS"
            FAILURES=$((FAILURES + 1))
            continue
        fi

        case "$tool" in
            opsbook-plain|opsbook)
                output="$dir/public"
                prepare="rm -rf $(q "$output") && sync"
                cmd="$(q "$OPSBOOK") build --root $(q "$dir") --out $(q "$output")" ;;
            hugo)
                output="$dir/public"
                prepare="rm -rf $(q "$output") $(q "$dir/resources") && sync"
                cmd="hugo --quiet --source $(q "$dir")" ;;
            mdbook)
                output="$dir/book"
                prepare="rm -rf $(q "$output") && sync"
                cmd="mdbook build $(q "$dir")" ;;
        esac
        if timed_row "$n" "$label" "$tool" "$prepare" "$cmd" "$dir" "$output"; then
            if [[ $tool == opsbook* ]]; then
                built=$(grep -E '^Built ' "$dir.log" | tail -1 || true)
                [[ -n $built ]] && NOTES+=("$label, $n pages: ${built//$WORK/\$WORK}")
            fi
            # Search index sizes: mdBook's single index file vs opsbook's search-index/ folder.
            if [[ $tool == mdbook ]]; then
                # mdBook 0.4 writes searchindex.js and .json; 0.5 a hashed searchindex-HASH.js.
                found=0
                while IFS= read -r p; do
                    found=1
                    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$label" "$(basename "$p")" "$(stat -c %s "$p")" \
                        "$(gzip -c "$p" | wc -c)" "one file, loaded whole" >>"$SEARCH"
                done < <(find "$output" -maxdepth 1 -type f \( -name 'searchindex*.js' -o -name 'searchindex*.json' \) | sort)
                [[ $found == 1 ]] || NOTES+=("mdbook, $n pages: no searchindex*.js or searchindex*.json in its output")
                warn=$(grep -i 'search index is very large' "$dir.log" | head -1 || true)
                [[ -z $warn ]] || NOTES+=("mdbook, $n pages, warns: ${warn#*WARN }")
            elif [[ $tool == opsbook* ]]; then
                index_rows "$n" "$label" "$output" search-index
            fi
            # opsbook's own search page, on the build just timed (the plain corpus only: the
            # same pages as the Pagefind CLI rows below).
            if [[ $BROWSER == 1 && $tool == opsbook-plain ]]; then
                measure_search "$n" "$label" "$output" "$dir"
            fi
        fi

        # The Pagefind CLI as the search baseline, on the same pages: opsbook's pages built
        # without its own index (build --no-search, itself a row), and Hugo's output (what a
        # Hugo user adds for search).
        if [[ $PAGEFIND == 1 && $QUICK == 0 ]]; then
            if [[ $tool == opsbook-plain ]]; then
                if timed_row "$n" "opsbook (plain), --no-search" "opsbook-plain-nosearch" "$prepare" \
                    "$cmd --no-search" "$dir.nosearch" "$output"; then
                    pagefind_rows "$n" "pagefind CLI on opsbook (plain) pages" "pagefind-opsbook" "$output" "$dir" "$dir.pagefind"
                fi
            elif [[ $tool == hugo && $ROW_STATUS == ok && ${PAGEFIND_HUGO:-1} == 0 ]]; then
                NOTES+=("pagefind CLI on hugo pages, $n pages: not run (PAGEFIND_HUGO=0); the CLI's row on opsbook's pages is the search baseline")
            elif [[ $tool == hugo && $ROW_STATUS == ok ]]; then
                pagefind_rows "$n" "pagefind CLI on hugo pages" "pagefind-hugo" "$output" "$dir" "$dir.pagefind"
            fi
        fi

        # The preview server keeps its output in memory: only the sources are needed from here.
        [[ ${KEEP:-0} == 1 ]] || rm -rf "$output"
        if [[ $SERVE == 1 && $tool == opsbook-plain ]]; then
            measure_serve "$n" "$dir"
        fi
        # Free the disk for the next corpus (100,000 pages of mdBook output are several GB).
        [[ ${KEEP:-0} == 1 ]] || rm -rf "$dir"
    done
    if [[ $SERVE == 1 ]] && ! awk -F'\t' -v n="$n" '$1 == n {found = 1} END {exit !found}' "$SERVE_ROWS"; then
        printf '%s\tnot measured: no opsbook (plain) build\n' "$n" >>"$SERVE_ROWS"
    fi
done
below=""
((${PAGE_COUNTS[-1]} < LARGE)) || below=" (below $LARGE pages)"
if [[ $HAVE_HYPERFINE == 1 ]]; then
    echo "wall time$below: hyperfine --runs $RUNS --prepare PREPARE --export-json FILE 'timeout $LIMIT BUILD'" >>"$CMDS"
else
    echo "wall time$below: a shell loop of $RUNS runs of PREPARE; date; timeout $LIMIT BUILD; date (hyperfine missing)" >>"$CMDS"
fi
echo "CPU and peak RSS: /usr/bin/time -v timeout $LIMIT bash -c BUILD (one run, after PREPARE)" >>"$CMDS"
for n in "${PAGE_COUNTS[@]}"; do
    if ((n >= LARGE)); then
        echo "from $LARGE pages: $RUNS_LARGE build(s) per tool; the /usr/bin/time run is the first wall-time sample" >>"$CMDS"
        break
    fi
done
echo "output: du -sb OUTPUT; find OUTPUT -type f | wc -l (pagefind CLI rows: OUTPUT/pagefind only)" >>"$CMDS"
if [[ $SERVE == 1 ]]; then
    echo "preview server: python3 benches/serve_latency.py \$WORK/N/opsbook-plain --bin OPSBOOK --rounds $SERVE_ROUNDS --json FILE" >>"$CMDS"
fi
if [[ $BROWSER == 1 ]]; then
    echo "search: node benches/search_latency.mjs --site OUTPUT --corpus CORPUS --runs $SEARCH_RUNS [--pagefind-page]" >>"$CMDS"
fi

# --- tables -----------------------------------------------------------------------------
# One markdown table for page count $1.
table() {
    local n="$1"
    echo "| tool | wall (median, s) | CPU (s) | peak RSS (MB) | output (MB) | files | vs Hugo |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' -v n="$n" '
        $1 == n && $2 == "hugo" && $8 == "ok" { hugo = $3 }
        { rows[NR] = $0 }
        END {
            for (i = 1; i <= NR; i++) {
                split(rows[i], f, "\t")
                if (f[1] != n) continue
                # failed, timeout, skipped: the wall column says what happened, no number.
                if (f[8] != "ok") {
                    printf "| %s | %s | %s | %s | %s | %s | |\n", f[2], f[3], f[4], f[5], f[6], f[7]
                    continue
                }
                ratio = (hugo > 0) ? sprintf("%.2fx", f[3] / hugo) : "n/a"
                printf "| %s | %.3f | %s | %s | %s | %s | %s |\n", f[2], f[3], f[4], f[5], f[6], f[7], ratio
                if (f[8] == "ok") wall[f[2]] = f[3]
            }
            # Search added to a site generator that builds none: the two medians added up
            # (two separate commands, as their users run them), not a measurement of its own.
            sum("hugo", "pagefind CLI on hugo pages", "hugo + pagefind CLI (sum of the medians)")
            sum("opsbook (plain), --no-search", "pagefind CLI on opsbook (plain) pages", "opsbook --no-search + pagefind CLI (sum of the medians)")
        }
        function sum(a, b, label) {
            if (!(a in wall) || !(b in wall)) return
            ratio = (hugo > 0) ? sprintf("%.2fx", (wall[a] + wall[b]) / hugo) : "n/a"
            printf "| %s | %.3f | | | | | %s |\n", label, wall[a] + wall[b], ratio
        }' "$ROWS"
}

# Search in the browser for page count $1: one row per query, one column per search page.
latency_table() {
    local n="$1"
    python3 - "$n" "$LATENCY" "$LATENCY_WORDS" <<'PY'
import json, statistics, sys
n, path, words_path = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [json.loads(l.split("\t", 1)[1]) for l in open(path) if l.split("\t", 1)[0] == n]
if not rows:
    print("(not measured)")
    sys.exit(0)
labels = list(dict.fromkeys(r["label"] for r in rows))
kinds = list(dict.fromkeys(r["kind"] for r in rows))
names = {"load": "page load (index bootstrap)", "unique": "unique word", "prefix": "same prefix, next",
         "common": "most common word", "two": "two words"}
print("| query | words | " + " | ".join(f"{l} ({rows[[r['label'] for r in rows].index(l)]['page']})" for l in labels) + " |")
print("|---|---|" + "---:|" * len(labels))
for k in kinds:
    q = next(r["q"] for r in rows if r["kind"] == k)
    cells = []
    for l in labels:
        rs = [r for r in rows if r["label"] == l and r["kind"] == k]
        if not rs:
            cells.append("")
            continue
        ms = statistics.median(r["ms"] for r in rs)
        kb = statistics.median(r["bytes"] for r in rs) / 1000
        req = statistics.median(r["requests"] for r in rs)
        cell = f"{ms:.0f} ms, {kb:.1f} KB, {req:g} req"
        if "expected_first" in rs[0]:
            cell += ", top: " + ("yes" if all(r["expected_first"] for r in rs) else
                                 "no (rank " + "/".join(str(r.get("expected_rank") or "none") for r in rs) + ")")
        cells.append(cell)
    print(f"| {names.get(k, k)} | {'`' + q + '`' if q else ''} | " + " | ".join(cells) + " |")
for line in open(words_path):
    if line.split("\t", 1)[0] == n:
        print()
        print(line.split("\t", 1)[1].strip())
        break
PY
}

# How the numbers of page count $1 were taken (they differ from LARGE on).
method() {
    local n="$1" r
    r=$(runs_for "$n")
    if ((n < LARGE)); then
        echo "Wall: median of $r hyperfine run(s); CPU and peak RSS: one more build under /usr/bin/time -v."
    elif ((r == 1)); then
        echo "One build per tool: wall, CPU and peak RSS all come from the same /usr/bin/time -v run."
    else
        echo "$r builds per tool: wall is the median of the /usr/bin/time -v run and $((r - 1)) hyperfine run(s); CPU and peak RSS from the first."
    fi
}

# The preview server's edit-to-reload latency, one row per page count.
serve_table() {
    echo "| pages | first build served (s) | reload median (ms) | reload p90 | reload max | visible median (ms) | visible p90 | visible max | server RSS (MB) | server peak RSS (MB) |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' '
        $2 != "ok" { printf "| %s | %s | | | | | | | | |\n", $1, $2; next }
        { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' "$SERVE_ROWS"
}
serve_intro() {
    local page
    page=$(awk -F'\t' '$2 == "ok" {print $13; exit}' "$SERVE_ROWS")
    echo "\`benches/serve_latency.py\` on the opsbook (plain) corpus: $SERVE_ROUNDS edits, each appending"
    echo "one word to one page's markdown file${page:+ (content/$page)} while a long-poll for that"
    echo "page waits. Times run from just before the write until the long-poll answers \"reload\""
    echo "and until a GET after that answer shows the word. RSS is the server's after the edits;"
    echo "peak RSS includes its first build."
}

search_table() {
    local n="$1"
    if [[ $(awk -F'\t' -v n="$n" '$1 == n {c++} END {print c+0}' "$SEARCH") == 0 ]]; then
        echo "(no search index found)"
        return
    fi
    echo "| tool | file | size (KB) | gzip (KB) | note |"
    echo "|---|---|---:|---:|---|"
    awk -F'\t' -v n="$n" '$1 == n {
        gz = ($5 == "") ? "" : sprintf("%.1f", $5 / 1000)
        printf "| %s | %s | %.1f | %s | %s |\n", $2, $3, $4 / 1000, gz, $6 }' "$SEARCH"
}

latency_intro() {
    echo "\`benches/search_latency.mjs\` in headless Chromium, the output served by python3 -m http.server"
    echo "on 127.0.0.1 (HTTP/1.0, no compression). Median of $SEARCH_RUNS run(s), each in a fresh browser"
    echo "profile: load the page and wait until the network is quiet (first row: what that loaded),"
    echo "then type each query as one input event. Time: from that event to the first result in the"
    echo "list, measured in the page. Both pages run a query that arrives in one input (a paste)"
    echo "at once and wait 30 ms after each typed key (opsbook's search.js; the Pagefind page,"
    echo "/pf-search/, on Pagefind's JS API, does the same), and show"
    echo "results the same way: 10, then up to 50). KB and requests: everything the query fetched"
    echo "until the network was quiet again (headers and encoded bodies). \"top\": whether the one"
    echo "document holding the word came first."
}

# Exit status: non-zero when a measurement failed (the report is written all the same).
finish() {
    if ((FAILURES > 0)); then
        log "$FAILURES measurement(s) FAILED: see the notes; no figure is given for them"
        exit 1
    fi
    exit 0
}

if [[ $QUICK == 1 ]]; then
    echo
    echo "opsbook quick benchmark: ${PAGE_COUNTS[0]} pages, median of $RUNS runs ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
    echo
    table "${PAGE_COUNTS[0]}" | cut -d'|' -f1-7 | sed 's/$/|/'
    echo
    search_table "${PAGE_COUNTS[0]}"
    echo
    if [[ $BROWSER == 1 ]]; then
        latency_intro
        echo
        latency_table "${PAGE_COUNTS[0]}"
        echo
    fi
    if [[ $SERVE == 1 ]]; then
        serve_intro
        echo
        serve_table
        echo
    fi
    for note in "${NOTES[@]+"${NOTES[@]}"}"; do echo "- $note"; done
    finish
fi

version() { "$@" 2>/dev/null | head -1 || true; }
cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
mem_gib=$(awk '/^MemTotal/ {printf "%.1f GiB", $2/1024/1024}' /proc/meminfo 2>/dev/null || true)

mkdir -p "$(dirname "$OUT")"
{
    echo "# opsbook build benchmark"
    echo
    echo "Generated by \`benches/bench.sh${ARGS:+ $ARGS}\` (see benches/README.md for how to read it)."
    echo "Timings describe this machine at this moment; they are never asserted by the tests."
    echo
    echo "## Machine"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- cores (nproc): $(nproc)"
    echo "- CPU: ${cpu_model:-unknown}"
    echo "- memory: ${mem_gib:-unknown}"
    echo "- opsbook: $(version "$OPSBOOK" --version) (git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ', with uncommitted changes'))"
    echo "- hugo: $([[ $HAVE_HUGO == 1 ]] && version hugo version || echo 'not installed (apt-get install hugo)')"
    echo "- mdbook: $([[ $HAVE_MDBOOK == 1 ]] && version mdbook --version || echo 'not installed (cargo install mdbook --locked)')"
    echo "- hyperfine: $([[ $HAVE_HYPERFINE == 1 ]] && version hyperfine --version || echo 'not installed (apt-get install hyperfine)')"
    [[ $PAGEFIND == 1 ]] && echo "- pagefind (npm, benches/package-lock.json): $PAGEFIND_VERSION; node $(node --version)"
    [[ $BROWSER == 1 ]] && echo "- chromium: $(version "$CHROMIUM" --version)"
    echo
    echo "## Commands"
    echo
    if [[ $CORPUS == realtext ]]; then
        echo "Corpora from \`shared/bench/gen_corpus_realtext.py\` (--corpus realtext: same bodies for every tool; the"
        echo "schema row's from \`benches/gen_schema_corpus.py\`, the same archive as a validated handbook); \$WORK is a temp folder."
    else
        echo "Corpora from \`shared/bench/gen_corpus.py\` (--corpus small: same bodies for every tool); \$WORK is a temp folder."
    fi
    echo "Every timed run is a full build: PREPARE removes the previous output first."
    echo
    echo '```text'
    cat "$CMDS"
    echo '```'
    for n in "${PAGE_COUNTS[@]}"; do
        echo
        echo "## $(printf "%'d" "$n" 2>/dev/null || echo "$n") pages"
        echo
        method "$n"
        echo
        table "$n"
        echo
        echo "Search index: mdBook's one index file, opsbook's search-index/ folder and the Pagefind CLI's pagefind/ (both loaded in pieces)."
        echo
        search_table "$n"
        if [[ $BROWSER == 1 ]]; then
            echo
            echo "Search in the browser, $n pages:"
            echo
            latency_table "$n"
        fi
    done
    if [[ $BROWSER == 1 ]]; then
        echo
        echo "## Search in the browser: how it was measured"
        echo
        latency_intro
    fi
    if [[ $SERVE == 1 ]]; then
        echo
        echo "## Preview server: edit to reload"
        echo
        serve_intro
        echo
        serve_table
    fi
    if [[ ${#NOTES[@]} -gt 0 || ${#MISSING[@]} -gt 0 ]]; then
        echo
        echo "## Notes"
        echo
        for m in "${MISSING[@]+"${MISSING[@]}"}"; do echo "- missing: $m"; done
        for note in "${NOTES[@]+"${NOTES[@]}"}"; do echo "- $note"; done
    fi
} >"$OUT"
log "wrote $OUT"
cat "$OUT"
finish
