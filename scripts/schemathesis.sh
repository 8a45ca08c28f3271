#!/usr/bin/env bash
# Property-based API tests with Schemathesis (scripts/requirements-test.txt pins it) against a real
# `certwatch serve --sample-data`: every check (--checks all), once with an admin key and once
# with a purchaser key, a fixed seed, at least MIN_REQUESTS requests over both runs. Any failure,
# or fewer requests than that, exits non-zero; the server is always stopped.
#
#   CERTWATCH_BIN=$(swift build --show-bin-path)/certwatch scripts/schemathesis.sh
#
# Environment:
#   CERTWATCH_BIN        the built certwatch binary (required)
#   ST_SPEC              the OpenAPI document to test; default: the one the server serves
#                        (/openapi.yaml, the embedded Sources/CertWatchServer/Resources/openapi.yaml)
#   ST_SEED              default 20261205;  ST_MAX_EXAMPLES (per operation and phase) default 60
#   ST_WORKERS           default 1: with 2, Hypothesis' threads now and then hit CPython's threaded
#                        ast.parse bug (python/cpython#106905, "AST constructor recursion depth
#                        mismatch"), a tool error; 2 does exercise concurrent writes, though
#   ST_REPORT_DIR        where the reports (HAR, JUnit, NDJSON per run) and the server's log go;
#                        default .build/schemathesis
#   ST_ISOLATE           auto (default): run server and Schemathesis in a network namespace of their
#                        own when `unshare -rn` works; 0: never
#
# Why a network namespace: webhook URLs are checked by resolving their host and refusing special-
# purpose addresses, and an endpoint that is accepted receives real deliveries (webhook.test, and
# alerts after the verification runs the tests start). On a runner with internet, a generated URL
# such as https://0.com could resolve and be sent to. In a namespace with only loopback nothing
# leaves the machine, and every host name answers 422 "does not resolve" (documented), whatever
# the runner's DNS does, so runs are repeatable.
set -euo pipefail

script=$(readlink -f "$0")
: "${CERTWATCH_BIN:?set CERTWATCH_BIN to the certwatch binary, e.g. \$(swift build --show-bin-path)/certwatch}"
CERTWATCH_BIN=$(readlink -f "$CERTWATCH_BIN")
[ -z "${ST_SPEC:-}" ] || ST_SPEC=$(readlink -f "$ST_SPEC")
export CERTWATCH_BIN ST_SPEC
if [ "${ST_ISOLATE:-auto}" != 0 ] && [ -z "${ST_IN_NAMESPACE:-}" ] && command -v unshare >/dev/null 2>&1 \
    && command -v ip >/dev/null 2>&1 && unshare --user --map-root-user --net true 2>/dev/null; then
    export ST_IN_NAMESPACE=1
    exec unshare --user --map-root-user --net -- bash -c 'ip link set lo up && exec bash "$0" "$@"' "$script" "$@"
fi

cd "$(dirname "$script")/.."
[ -x "$CERTWATCH_BIN" ] || { echo "CERTWATCH_BIN=$CERTWATCH_BIN is not an executable" >&2; exit 1; }
command -v st >/dev/null || { echo "st (Schemathesis) is not installed: pip install -r scripts/requirements-test.txt" >&2; exit 1; }
st --version | grep -q ' 4\.32\.5$' || echo "warning: $(st --version) is not the 4.32.5 scripts/requirements-test.txt pins" >&2

SEED=${ST_SEED:-20261205}
MAX_EXAMPLES=${ST_MAX_EXAMPLES:-60}
MIN_REQUESTS=5000
REPORT_DIR=$(mkdir -p "${ST_REPORT_DIR:-.build/schemathesis}" && readlink -f "${ST_REPORT_DIR:-.build/schemathesis}")
rm -f "$REPORT_DIR"/*.har "$REPORT_DIR"/*.xml "$REPORT_DIR"/*.ndjson "$REPORT_DIR"/serve.log

work=$(mktemp -d)
server_pid=
stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    cp "$work/serve.log" "$REPORT_DIR/serve.log" 2>/dev/null || true
    rm -rf "$work"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# The server: its own SQLite file, a free loopback port, INTEGRITY at the discard port (sample
# data verifies against the bundled snapshot; nothing else may reach out), and the alert scan
# left to the verifications the tests start. --sample-data reads Config/ from the repository root.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export DATABASE_URL="sqlite:$work/certwatch.sqlite" HTTP_HOST=127.0.0.1 HTTP_PORT=$port
export INTEGRITY_WEB_SERVICE_URL=http://127.0.0.1:9/rest INTEGRITY_BULK_URL=http://127.0.0.1:9/bulk \
       INTEGRITY_BASE_URL=http://127.0.0.1:9/svc SCHEDULE_ALERT_SCAN_INTERVAL_SECONDS=86400
export LOG_LEVEL=${LOG_LEVEL:-warning} TMPDIR=$work REQUESTS_HANDLER_NAME="Schemathesis Organic Foods"
"$CERTWATCH_BIN" serve --sample-data >"$work/serve.log" 2>&1 &
server_pid=$!
ready=
for _ in $(seq 120); do
    if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/readyz", timeout=1)' "$base" 2>/dev/null; then
        ready=1; break
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
done
[ -n "$ready" ] || { echo "certwatch did not become ready:" >&2; cat "$work/serve.log" >&2; exit 1; }
# A supplier of its own and a real upload link for the upload page's run (below), made before the
# API runs can rename or delete the sample suppliers.
"$CERTWATCH_BIN" suppliers add --name "Schemathesis Upload Farm" --supplier-email uploads@farm.example >/dev/null
token=$("$CERTWATCH_BIN" suppliers request-certificate "Schemathesis Upload Farm" --print-link | sed -n 's|^link: .*/upload/||p')
[ -n "$token" ] || { echo "could not make an upload link" >&2; exit 1; }
admin_key=$("$CERTWATCH_BIN" keys create --name st-admin --role admin)
purchaser_key=$("$CERTWATCH_BIN" keys create --name st-purchaser --role purchaser)

# Where the tests send webhooks. In the namespace, half the generated endpoints get a public
# address literal, so endpoints are created and the routes under /v1/webhook-endpoints/{id} are
# exercised on real ones (deliveries fail: there is no network). Outside it, every URL is a
# TEST-NET address, which the server refuses (422), so no endpoint that could be sent to exists.
if [ -n "${ST_IN_NAMESPACE:-}" ]; then
    webhook_urls='["https://93.184.215.14/certwatch-st", "http://93.184.215.14:8080/hook?x=1"]'; webhook_probability=0.5
else
    echo "warning: no network namespace (unshare -rn); generated webhook URLs are replaced by refused ones" >&2
    webhook_urls='["https://192.0.2.1/certwatch-st"]'; webhook_probability=1.0
fi

# Status codes positive_data_acceptance accepts besides its defaults (2xx, 3xx, 401, 403, 404,
# 409, 429, 5xx), only where a schema-valid request is refused for a reason JSON Schema cannot
# state; each refusal is documented in openapi.yaml.
accept="\"2xx\", \"3xx\", \"401\", \"403\", \"404\", \"409\", \"429\", \"5xx\""
cat >"$work/schemathesis.toml" <<EOF
seed = $SEED
request-timeout = 5
continue-on-failure = true
workers = ${ST_WORKERS:-1}

[generation]
max-examples = $MAX_EXAMPLES
database = "none"

[checks]
max_response_time = 5

# timeZone must be a name in the server's time zone database, which no schema lists.
[dictionaries.time-zones]
values = ["America/Chicago", "America/Mexico_City", "Europe/Vienna", "Asia/Tokyo", "UTC", "Australia/Sydney"]

[dictionaries.webhook-urls]
values = $webhook_urls

[parameters]
"body.timeZone" = { dictionary = "time-zones" }

# (Filters in one entry are alternatives, so each entry names its operations.)
[[operations]]
include-name = ["POST /v1/webhook-endpoints", "PATCH /v1/webhook-endpoints/{id}"]
parameters = { "body.url" = { dictionary = "webhook-urls", probability = $webhook_probability } }
# Whether a URL is taken depends on what its host resolves to here and now (422 when it does not
# resolve, or resolves to a special-purpose address).
checks.positive_data_acceptance.expected-statuses = [$accept, "422"]

# A supplier cursor is opaque (base64 of the last row's key): only a nextCursor the server gave
# is valid, anything else is 400.
[[operations]]
include-name = "GET /v1/suppliers"
checks.positive_data_acceptance.expected-statuses = [$accept, "400"]

# The CSV's columns and rows are described in prose; a schema cannot state them (422).
[[operations]]
include-name = "POST /v1/suppliers/import"
checks.positive_data_acceptance.expected-statuses = [$accept, "422"]

# The file type is read from the bytes (415 unless PDF, PNG or JPEG; Schemathesis sends random
# bytes as a binary body), and kind may come from the query or a multipart part (422 if neither).
[[operations]]
include-name = "POST /v1/suppliers/{id}/documents"
checks.positive_data_acceptance.expected-statuses = [$accept, "415", "422"]

# Verifying needs the stored supplier to have a NOP operation ID (422 otherwise).
[[operations]]
include-name = "POST /v1/suppliers/{id}/verify"
checks.positive_data_acceptance.expected-statuses = [$accept, "422"]

# Nobody to send a certificate request to (the supplier has no supplierEmails and none were
# given) is 422 (no-recipients): which suppliers have addresses is the registry's, not the schema's.
[[operations]]
include-name = "POST /v1/suppliers/{id}/certificate-requests"
checks.positive_data_acceptance.expected-statuses = [$accept, "422"]

# The exporter and documentId must name records in the registry, and validTo may not be before
# validFrom (422).
[[operations]]
include-name = "POST /v1/import-certificates"
checks.positive_data_acceptance.expected-statuses = [$accept, "422"]
EOF

spec=${ST_SPEC:-$base/openapi.yaml}
status=0
run() {
    local name=$1 key=$2 began=$(date +%s)
    echo "== schemathesis as $name ($spec, seed $SEED, max-examples $MAX_EXAMPLES)"
    st --config-file "$work/schemathesis.toml" run "$spec" --url "$base" \
        --header "Authorization: Bearer $key" \
        --checks all --max-response-time 5 --request-timeout 5 --seed "$SEED" --continue-on-failure \
        --max-examples "$MAX_EXAMPLES" --generation-database none --no-color \
        --report har,junit,ndjson --report-dir "$REPORT_DIR" --report-har-path "$REPORT_DIR/$name.har" \
        --report-junit-path "$REPORT_DIR/$name.xml" --report-ndjson-path "$REPORT_DIR/$name.ndjson" || status=1
    echo "== $name: $(( $(date +%s) - began )) s"
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "certwatch stopped during the $name run; its log from the first fatal error:" >&2
        if grep -q 'Fatal error' "$work/serve.log"; then sed -n '/Fatal error/,$p' "$work/serve.log" | head -n 60 >&2
        else tail -n 40 "$work/serve.log" >&2; fi
        exit 1
    fi
}
started=$(date +%s)
run admin "$admin_key"
run purchaser "$purchaser_key"

# The supplier's upload page (issue 24), the first page that writes without an account: its own
# small document (scripts/upload-page.openapi.yaml, HTML answers) and a real link to a sample
# supplier's request (made before the API runs, which may change any supplier). Every answer the page documents
# is expected: once the link's hourly uploads are used up, the rest are 429.
cat >"$work/upload.toml" <<EOF
seed = $SEED
request-timeout = 5
continue-on-failure = true

[generation]
max-examples = $MAX_EXAMPLES
database = "none"

[parameters]
"path.token" = "$token"

[checks]
positive_data_acceptance.expected-statuses = ["200", "400", "404", "410", "413", "415", "422", "429"]
# A link answered (or used up) answers 410 before its body is read, whatever the body is.
negative_data_rejection.expected-statuses = ["400", "404", "410", "413", "415", "422", "429"]
EOF
began=$(date +%s)
echo "== schemathesis on the upload page (scripts/upload-page.openapi.yaml)"
st --config-file "$work/upload.toml" run scripts/upload-page.openapi.yaml --url "$base" \
    --checks all --max-response-time 5 --request-timeout 5 --seed "$SEED" --continue-on-failure \
    --max-examples "$MAX_EXAMPLES" --generation-database none --no-color \
    --report har --report-dir "$REPORT_DIR" --report-har-path "$REPORT_DIR/upload-page.har" || status=1
echo "== upload page: $(( $(date +%s) - began )) s"
kill -0 "$server_pid" 2>/dev/null || { echo "certwatch stopped during the upload-page run" >&2; tail -n 40 "$work/serve.log" >&2; exit 1; }

requests=$(python3 - "$REPORT_DIR/admin.har" "$REPORT_DIR/purchaser.har" <<'PY'
import json, sys
print(sum(len(json.load(open(path))["log"]["entries"]) for path in sys.argv[1:]))
PY
)
echo "schemathesis: $requests requests in $(( $(date +%s) - started )) s (at least $MIN_REQUESTS needed); reports in $REPORT_DIR"
if [ "$requests" -lt "$MIN_REQUESTS" ]; then
    echo "too few requests: $requests < $MIN_REQUESTS" >&2
    status=1
fi
exit "$status"
