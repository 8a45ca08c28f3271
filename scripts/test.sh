#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine that has Swift: installs what the build and
# the tests need (apt: libcurl headers, PostgreSQL; pip: scripts/requirements-test.txt), starts
# a throwaway PostgreSQL on a loopback port, builds, runs every test against SQLite and
# PostgreSQL, runs the date-sensitive suites again with the clock 400 days ahead, and stops
# PostgreSQL again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/postgres.sh
. scripts/system-deps.sh

install_build_deps
install_test_deps

python3 -m pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
start_throwaway_postgres
export CERTWATCH_TEST_POSTGRES_URL=$POSTGRES_URL

python3 -m openapi_spec_validator Sources/CertWatchServer/Resources/openapi.yaml scripts/upload-page.openapi.yaml
swift build --build-tests
export CERTWATCH_BIN="$(swift build --show-bin-path)/certwatch"
# A hang fails the run in bounded time, naming the tests that started and never finished,
# instead of running into CI's limit with nothing said.
log=.build/swift-test.log
set +e
timeout --kill-after=30 1500 swift test --skip-build --parallel --num-workers 2 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        echo "swift test did not finish within 1500 s; tests that started and never finished:"
        comm -23 <(sed -n 's/^◇ Test \([^ ]*\) started\.$/\1/p' "$log" | sort) \
                 <(sed -n 's/^[✔✘] Test \([^ ]*\) .*/\1/p' "$log" | sort)
    fi
    exit "$status"
fi

# Proof that no test depends on today's date: the suites whose answers depend on "today" run
# again with the process clock (and the INTEGRITY double's, a child) moved 400 days ahead by
# libfaketime. Swift's Task.sleep hangs under faketime here, so suites that sleep or wait for
# events are left out; `timeout` turns an unexpected hang into a failure.
date_sensitive='\.(PurchaseGateTests|ImportCertificateGateTests|PurchaseCheckAPITests|PurchasePolicyTests|AlertPlannerTests|AlertScanTests|AlertAPITests|JobCadenceTests|ProductMatcherTests|CertificateTimelineTests|SupplierAPITests|SupplierImporterTests|SupplierStoreTests|DashboardFiguresTests)/'
echo "date-sensitive suites with the clock 400 days ahead:"
timeout 600 faketime -f +400d swift test --skip-build --filter "$date_sensitive"

# Every parser of outside data under libFuzzer for a short, bounded time (a crash fails the run;
# longer runs: scripts/fuzz.sh TARGET SECONDS). The seeds and past crashes were replayed above.
echo "fuzzing each parser for 10 s (libFuzzer):"
timeout 1200 scripts/fuzz.sh all 10

# The API contract under attack: Schemathesis (--checks all) against the served OpenAPI document
# with an admin key and a purchaser key, at least 5,000 generated requests: no 5xx, no crash, no
# schema violation, no answer over 5 s.
echo "schemathesis against the served OpenAPI document:"
timeout 900 scripts/schemathesis.sh

# The web page in a real headless Chromium against a real `certwatch serve --sample-data`, with
# axe-core on every page; it also rewrites the README's screenshots in docs/screenshots/.
echo "browser tests (headless Chromium, Selenium, axe-core):"
timeout 900 python3 Tests/Browser/pages_test.py
# The import-certificate and fraud-notice pages (issue 24) again on PostgreSQL.
CERTWATCH_BROWSER_BACKEND=postgres timeout 600 python3 Tests/Browser/pages_test.py ImportCertificatePagesTests FraudNoticePagesTests

# People's accounts in the browser (issue 23): invitations and resets read from a real SMTP
# server, two-step codes, single sign-on against a real OpenID Connect provider on loopback
# (testing/oidc_provider.py), disabling, sign-in limits, axe-core on the new pages.
echo "browser tests of accounts (headless Chromium, aiosmtpd, django-oidc-provider), on SQLite and on PostgreSQL:"
timeout 900 python3 Tests/Browser/accounts_test.py
CERTWATCH_BROWSER_BACKEND=postgres timeout 900 python3 Tests/Browser/accounts_test.py

# Certificate requests in the browser (issue 24): the request emailed to a real SMTP server, the
# supplier's upload link opened in another browser with no account, a matching and a forged
# certificate read against the record, the dashboard, axe-core on the new pages.
echo "browser tests of certificate requests, on SQLite and on PostgreSQL:"
timeout 600 python3 Tests/Browser/requests_test.py
CERTWATCH_BROWSER_BACKEND=postgres timeout 600 python3 Tests/Browser/requests_test.py
