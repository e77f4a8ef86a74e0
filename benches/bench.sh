#!/usr/bin/env bash
# Build-time benchmark of opsbook against Hugo and mdBook on generated corpora.
#
#   benches/bench.sh [--pages 1000,10000] [--runs N] [--out benches/RESULTS.md]
#   benches/bench.sh --quick        # 1,000 pages, opsbook only, 3 runs, prints a table
#
# Run from anywhere; paths are taken relative to the repository root. See benches/README.md.
# Environment: OPSBOOK_SHARED (the shared/ folder holding bench/gen_corpus.py, default
# ../shared), KEEP=1 (keep the corpora and outputs in the temp folder).
set -euo pipefail

usage() {
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
}

PAGES="1000,10000"
RUNS=3
OUT="benches/RESULTS.md"
QUICK=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --pages) PAGES="${2:?--pages needs a value, e.g. 1000,10000}"; shift 2 ;;
        --pages=*) PAGES="${1#*=}"; shift ;;
        --runs) RUNS="${2:?--runs needs a number}"; shift 2 ;;
        --runs=*) RUNS="${1#*=}"; shift ;;
        --out) OUT="${2:?--out needs a file}"; shift 2 ;;
        --out=*) OUT="${1#*=}"; shift ;;
        --quick) QUICK=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ $QUICK == 1 ]]; then
    PAGES=1000
    RUNS=3
fi
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: --runs must be a positive integer" >&2; exit 2; }
IFS=',' read -r -a PAGE_COUNTS <<< "$PAGES"
for n in "${PAGE_COUNTS[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: bad page count '$n'" >&2; exit 2; }
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
case "$OUT" in /*) ;; *) OUT="$ROOT/$OUT" ;; esac

log() { printf '[bench] %s\n' "$*" >&2; }

# --- the corpus generator ---------------------------------------------------------------
SHARED="${OPSBOOK_SHARED:-$ROOT/../shared}"
[[ -d $SHARED ]] && SHARED="$(cd "$SHARED" && pwd)"
GEN=""
for candidate in "$SHARED/bench/gen_corpus.py" "$SHARED/gen_corpus.py" "$SHARED"; do
    if [[ -f $candidate ]]; then GEN="$candidate"; break; fi
done
if [[ -z $GEN ]]; then
    echo "bench.sh: gen_corpus.py not found under '$SHARED' (set OPSBOOK_SHARED to the shared/ folder)" >&2
    exit 1
fi
command -v python3 >/dev/null || { echo "bench.sh: python3 is needed to generate the corpora" >&2; exit 1; }

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
for m in "${MISSING[@]+"${MISSING[@]}"}"; do log "missing: $m"; done

# --- build opsbook once -----------------------------------------------------------------
log "cargo build --release"
cargo build --release --quiet
OPSBOOK="$ROOT/target/release/opsbook"
[[ -x $OPSBOOK ]] || { echo "bench.sh: $OPSBOOK was not built" >&2; exit 1; }

# --- temp folder ------------------------------------------------------------------------
WORK="$(mktemp -d /tmp/opsbook-bench.XXXXXX)"
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
q() { printf '%q' "$1"; }

# Wall time: median of $RUNS full builds, each after $prepare. Prints seconds.
measure_wall() {
    local name="$1" prepare="$2" cmd="$3" json="$4"
    if [[ $HAVE_HYPERFINE == 1 ]]; then
        hyperfine --style basic --runs "$RUNS" --prepare "$prepare" --export-json "$json" \
            --command-name "$name" "$cmd" >"$json.log" 2>&1 \
            || { log "hyperfine failed for $name: see $json.log"; tail -5 "$json.log" >&2; return 1; }
        python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.4f" % r["median"])' "$json"
    else
        local i t0 t1
        for ((i = 0; i < RUNS; i++)); do
            bash -c "$prepare"
            t0=$(date +%s.%N)
            bash -c "$cmd" >/dev/null 2>&1 || return 1
            t1=$(date +%s.%N)
            awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f\n", b-a}'
        done | median
    fi
}

# One run under /usr/bin/time -v; sets CPU_S and RSS_MB (or "n/a"). Returns the exit status.
measure_resources() {
    local cmd="$1" tv="$2" outlog="$3"
    CPU_S="n/a"; RSS_MB="n/a"
    if [[ $HAVE_TIME == 1 ]]; then
        local status=0
        "$TIME_BIN" -v -o "$tv" bash -c "$cmd" >"$outlog" 2>&1 || status=$?
        # bash -c adds one tiny process; the tool is the largest, and time -v sums children's CPU.
        CPU_S=$(awk -F': ' '/User time \(seconds\)/ {u=$2} /System time \(seconds\)/ {s=$2} END {printf "%.2f", u+s}' "$tv")
        RSS_MB=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$tv")
        return $status
    else
        bash -c "$cmd" >"$outlog" 2>&1
    fi
}

# --- the run ----------------------------------------------------------------------------
ROWS="$WORK/rows.tsv"        # n, tool, wall, cpu, rss, out_bytes, files, status
SEARCH="$WORK/search.tsv"    # n, tool, what, bytes, gzip_bytes, detail
CMDS="$WORK/commands.txt"
: >"$ROWS"; : >"$SEARCH"; : >"$CMDS"
NOTES=()

if [[ $QUICK == 1 ]]; then
    TOOLS=(opsbook-plain opsbook)
else
    TOOLS=(opsbook-plain opsbook hugo mdbook)
fi

echo "python3 $GEN --tool TOOL --pages N --out CORPUS   # TOOL in ${TOOLS[*]}" >>"$CMDS"

for n in "${PAGE_COUNTS[@]}"; do
    for tool in "${TOOLS[@]}"; do
        case "$tool" in
            hugo) [[ $HAVE_HUGO == 1 ]] || continue ;;
            mdbook) [[ $HAVE_MDBOOK == 1 ]] || continue ;;
        esac
        dir="$WORK/$n/$tool"
        log "$n pages, $tool: generating"
        python3 "$GEN" --tool "$tool" --pages "$n" --out "$dir" >/dev/null

        case "$tool" in
            opsbook-plain|opsbook)
                output="$dir/public"
                prepare="rm -rf $(q "$output") && sync"
                cmd="$(q "$OPSBOOK") build --root $(q "$dir") --out $(q "$output")"
                label="opsbook ($([[ $tool == opsbook ]] && echo schema || echo plain))" ;;
            hugo)
                output="$dir/public"
                prepare="rm -rf $(q "$output") $(q "$dir/resources") && sync"
                cmd="hugo --quiet --source $(q "$dir")"
                label="hugo" ;;
            mdbook)
                output="$dir/book"
                prepare="rm -rf $(q "$output") && sync"
                cmd="mdbook build $(q "$dir")"
                label="mdbook" ;;
        esac
        if [[ $n == "${PAGE_COUNTS[0]}" ]]; then
            printf '%-18s prepare: %s\n%-18s build:   %s\n' "$label" "${prepare//$WORK/\$WORK}" "" "${cmd//$WORK/\$WORK}" >>"$CMDS"
        fi

        log "$n pages, $label: /usr/bin/time -v run"
        bash -c "$prepare"
        if ! measure_resources "$cmd" "$dir.time" "$dir.log"; then
            log "$label FAILED on the $n-page corpus (last lines of its output below); row skipped"
            tail -5 "$dir.log" | sed 's/^/    /' >&2
            NOTES+=("$label failed on the $n-page corpus: $(tail -1 "$dir.log" | cut -c1-300)")
            printf '%s\t%s\tfailed\t\t\t\t\tfailed\n' "$n" "$label" >>"$ROWS"
            continue
        fi
        if [[ ! -d $output ]]; then
            NOTES+=("$label wrote no $(basename "$output")/ folder for $n pages")
            printf '%s\t%s\tfailed\t\t\t\t\tfailed\n' "$n" "$label" >>"$ROWS"
            continue
        fi
        out_bytes=$(du -sb "$output" | cut -f1)
        files=$(find "$output" -type f | wc -l)
        if [[ $tool == opsbook* ]]; then
            built=$(grep -E '^Built ' "$dir.log" | tail -1 || true)
            [[ -n $built ]] && NOTES+=("$label, $n pages: ${built//$WORK/\$WORK}")
        fi

        # Search index sizes: mdBook's single index file vs opsbook's pagefind/ folder.
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
            if [[ -d $output/pagefind ]]; then
                pf_bytes=$(du -sb "$output/pagefind" | cut -f1)
                pf_files=$(find "$output/pagefind" -type f | wc -l)
                read -r big_bytes big_path < <(find "$output/pagefind" -type f -printf '%s %P\n' | sort -n | tail -1)
                printf '%s\t%s\t%s\t%s\t\t%s\n' "$n" "$label" "pagefind/ (all)" "$pf_bytes" "$pf_files files" >>"$SEARCH"
                printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$label" "pagefind/ largest file" "$big_bytes" \
                    "$(gzip -c "$output/pagefind/$big_path" | wc -c)" "$big_path" >>"$SEARCH"
            else
                NOTES+=("$label, $n pages: no pagefind/ folder in its output")
            fi
        fi

        log "$n pages, $label: wall time, $RUNS run(s)"
        if ! wall=$(measure_wall "$label" "$prepare" "$cmd" "$dir.hyperfine.json"); then
            NOTES+=("$label: timing runs failed on the $n-page corpus")
            wall="failed"
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\tok\n' "$n" "$label" "$wall" "$CPU_S" "$RSS_MB" \
            "$(mb "$out_bytes")" "$files" >>"$ROWS"
        log "$n pages, $label: wall ${wall}s, CPU ${CPU_S}s, RSS ${RSS_MB} MB, $(mb "$out_bytes") MB in $files files"
    done
done
if [[ $HAVE_HYPERFINE == 1 ]]; then
    echo "wall time: hyperfine --runs $RUNS --prepare PREPARE --export-json FILE BUILD" >>"$CMDS"
else
    echo "wall time: a shell loop of $RUNS runs of PREPARE; date; BUILD; date (hyperfine missing)" >>"$CMDS"
fi
echo "CPU and peak RSS: /usr/bin/time -v bash -c BUILD (one run, after PREPARE)" >>"$CMDS"
echo "output: du -sb OUTPUT; find OUTPUT -type f | wc -l" >>"$CMDS"

# --- tables -----------------------------------------------------------------------------
# One markdown table for page count $1.
table() {
    local n="$1"
    echo "| tool | wall (median, s) | CPU (s) | peak RSS (MB) | output (MB) | files | vs Hugo |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' -v n="$n" '
        $1 == n && $2 == "hugo" && $3 != "failed" { hugo = $3 }
        { rows[NR] = $0 }
        END {
            for (i = 1; i <= NR; i++) {
                split(rows[i], f, "\t")
                if (f[1] != n) continue
                if (f[8] == "failed" || f[3] == "failed") {
                    printf "| %s | failed | %s | %s | %s | %s | |\n", f[2], f[4], f[5], f[6], f[7]
                    continue
                }
                ratio = (hugo > 0) ? sprintf("%.2fx", f[3] / hugo) : "n/a"
                printf "| %s | %.3f | %s | %s | %s | %s | %s |\n", f[2], f[3], f[4], f[5], f[6], f[7], ratio
            }
        }' "$ROWS"
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

if [[ $QUICK == 1 ]]; then
    echo
    echo "opsbook quick benchmark: ${PAGE_COUNTS[0]} pages, median of $RUNS runs ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
    echo
    table "${PAGE_COUNTS[0]}" | cut -d'|' -f1-7 | sed 's/$/|/'
    echo
    search_table "${PAGE_COUNTS[0]}"
    echo
    for note in "${NOTES[@]+"${NOTES[@]}"}"; do echo "- $note"; done
    exit 0
fi

version() { "$@" 2>/dev/null | head -1 || true; }
cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
mem_gib=$(awk '/^MemTotal/ {printf "%.1f GiB", $2/1024/1024}' /proc/meminfo 2>/dev/null || true)

mkdir -p "$(dirname "$OUT")"
{
    echo "# opsbook build benchmark"
    echo
    echo "Generated by \`benches/bench.sh --pages $PAGES --runs $RUNS\` (see benches/README.md for how to read it)."
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
    echo
    echo "## Commands"
    echo
    echo "Corpora from \`shared/bench/gen_corpus.py\` (same bodies for every tool); \$WORK is a temp folder."
    echo "Every timed run is a full build: PREPARE removes the previous output first."
    echo
    echo '```text'
    cat "$CMDS"
    echo '```'
    for n in "${PAGE_COUNTS[@]}"; do
        echo
        echo "## $(printf "%'d" "$n" 2>/dev/null || echo "$n") pages"
        echo
        table "$n"
        echo
        echo "Search index: mdBook's one index file against opsbook's pagefind/ folder (loaded in chunks)."
        echo
        search_table "$n"
    done
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
