# Sourced by scripts/serve.sh and scripts/test.sh: installs the Debian packages CertWatch needs
# when they are missing — libcurl's headers for the SMTP mailer (the CCurl module), and
# poppler-utils, whose pdftotext reads the text of uploaded certificates, and gnumeric, whose
# ssconvert turns NOP's fraud list into .xlsx when it comes as an old .xls.
install_build_deps() {
  if { [ ! -f /usr/include/x86_64-linux-gnu/curl/curl.h ] && [ ! -f /usr/include/curl/curl.h ] \
       && ! ls /usr/include/*/curl/curl.h >/dev/null 2>&1; } || [ ! -x /usr/bin/pdftotext ] || [ ! -x /usr/bin/ssconvert ]; then
    local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcurl4-openssl-dev poppler-utils >/dev/null
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnumeric >/dev/null
  fi
}

# Debian's packages the tests need beyond the build: faketime for the shifted-clock pass,
# Chromium and its matching chromedriver for the browser tests (Tests/Browser).
install_test_deps() {
  if ! command -v faketime >/dev/null 2>&1 || [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime chromium chromium-driver >/dev/null
  fi
}
