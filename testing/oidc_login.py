#!/usr/bin/env python3
"""Signs a user in at testing/oidc_provider.py the way a browser would, without a browser: opens
the authorization URL a relying party made, fills the provider's login form (keeping its cookies
and CSRF token), and prints the URL the provider redirects back to (the relying party's callback
with `code` and `state`), without opening it.

    python3 testing/oidc_login.py AUTHORIZATION_URL USERNAME PASSWORD

Exit status 0 with the callback URL on stdout; 1 with the reason on stderr (a refused login, an
authorization error page).
"""
import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    url, username, password = sys.argv[1:4]
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlparse(url))
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def call(target, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(target, data=data, headers={"Origin": origin} if form is not None else {})
        try:
            response = opener.open(request)
            return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    status, headers, body = call(url)
    if status != 302:
        sys.exit(f"the authorization request answered {status}: {body[:300]}")
    login = urllib.parse.urljoin(origin, headers["Location"])
    if not login.startswith(origin + "/accounts/login/"):
        print(login)  # already signed in: straight back to the relying party
        return
    status, headers, page = call(login)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    following = re.search(r'name="next" value="([^"]+)"', page)
    if status != 200 or not csrf or not following:
        sys.exit(f"the login page answered {status} without its form")
    status, headers, page = call(login, {"csrfmiddlewaretoken": csrf.group(1), "username": username, "password": password,
                                         "next": following.group(1).replace("&amp;", "&")})
    if status != 302:
        sys.exit("the provider refused the login")
    status, headers, body = call(urllib.parse.urljoin(origin, headers["Location"]))
    if status != 302:
        sys.exit(f"the authorization after login answered {status}: {body[:300]}")
    print(headers["Location"])


if __name__ == "__main__":
    main()
