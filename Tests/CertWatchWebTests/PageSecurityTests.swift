import CertWatchStore
import CertWatchTestSupport
import CertWatchWeb
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@Suite struct PageSecurityTests {
    @Test(arguments: Backend.allCases)
    func aFormWithoutTheSessionsTokenChangesNothing(_ backend: Backend) async throws {
        try await PageServer.run(backend) { server, browser in
            let token = try await browser.signIn(server.admin)
            let keys = APIKeyStore(database: server.database)
            for fields in [["name": "forged"], ["name": "forged", "csrf": String(repeating: "0", count: 64)]] {
                let refused = try await browser.post("/admin/keys", fields.merging(["role": "admin"]) { a, _ in a })
                #expect(refused.status == .forbidden)
                #expect(refused.html.contains("Form expired"))
            }
            #expect(try await keys.list().map(\.name).sorted() == ["admin", "buyer"], "no key was made")
            let made = try await browser.post("/admin/keys", ["name": "made", "role": "purchaser", "csrf": token])
            #expect(made.status == .created)
            #expect(made.html.contains("id=\"new-secret\""))
            #expect(try await keys.list().map(\.name).contains("made"))
        }
    }

    @Test(arguments: Backend.allCases)
    func aPurchaserGetsThe403PageAndSeesNoAdminLinks(_ backend: Backend) async throws {
        try await PageServer.run(backend) { server, browser in
            try await browser.signIn(server.purchaser)
            let dashboard = try await browser.get("/")
            #expect(dashboard.html.contains("href=\"/check\""))
            #expect(!dashboard.html.contains("href=\"/admin/"), "no admin link for a purchaser")
            for path in ["/admin/keys", "/admin/import", "/admin/jobs", "/admin/webhooks", "/admin/alerts"] {
                let page = try await browser.get(path)
                #expect(page.status == .forbidden, "\(path)")
                #expect(page.html.contains("<h1>Not allowed</h1>"))
            }
        }
    }

    @Test func pagesCarryTheSecurityHeadersAndTheCookieItsFlags() async throws {
        try await PageServer.run(.sqlite) { server, browser in
            let signIn = try await browser.post("/sign-in", ["key": server.admin])
            let cookie = try #require(signIn.headers[values: .setCookie].first { $0.hasPrefix("certwatch_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("Secure"), "plain http on loopback")
            let page = try await browser.get("/")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'") && policy.contains("form-action 'self'") && policy.contains("frame-ancestors 'none'"))
            #expect(!policy.contains("script-src"), "no script may run")
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            #expect(page.headers[.cacheControl] == "no-store")

            let stylesheet = try #require(page.html.firstMatch(of: /href="(\/assets\/style\.[0-9a-f]{12}\.css)"/)).output.1
            let css = try await browser.get(String(stylesheet))
            #expect(css.status == .ok && css.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(try await browser.get("/assets/style.000000000000.css").status == .notFound)
        }
    }

    @Test func behindAnHTTPSProxyTheCookieIsSecure() async throws {
        try await PageServer.run(.sqlite) { server, browser in
            let signIn = try await browser.postWithHeaders("/sign-in", "key=\(server.admin)", [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            let cookie = try #require(signIn.headers[values: .setCookie].first { $0.hasPrefix("certwatch_session=") })
            #expect(cookie.contains("; Secure"))
        }
        try await PageServer.run(.sqlite, settings: WebSettings(alwaysSecureCookies: true)) { server, browser in
            let signIn = try await browser.post("/sign-in", ["key": server.admin])
            #expect(signIn.headers[values: .setCookie].contains { $0.hasPrefix("certwatch_session=") && $0.contains("Secure") })
        }
    }

    @Test func afterSignInOnlyALocalPathIsFollowed() async throws {
        try await PageServer.run(.sqlite) { server, browser in
            let local = try await browser.post("/sign-in", ["key": server.admin, "next": "/suppliers?q=x"])
            #expect(local.location == "/suppliers?q=x")
            // Known open-redirect bypasses (a browser cleans tabs and newlines, reads `\\` as `/`) and near misses: all go home.
            for hostile in ["https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example", "/\n/evil.example",
                            "/\r\n/evil.example", " //evil.example", "\t//evil.example", "\u{0001}//evil.example", "///evil.example",
                            "\\\\evil.example", "/%2F/evil.example", "/%5Cevil.example", "/%09/evil.example", "javascript:alert(1)",
                            "evil.example", "/\u{0000}/evil.example", "/x/\\evil", String(repeating: "/a", count: 2_000)] {
                browser.cookie = nil
                #expect(try await browser.post("/sign-in", ["key": server.admin, "next": hostile]).location == "/")
            }
        }
    }
}

@Suite struct WebhookPageTests {
    @Test func aWebhookToAPrivateAddressIsRefusedAtItsField() async throws {
        try await PageServer.run(.sqlite) { server, browser in
            let token = try await browser.signIn(server.admin)
            let refused = try await browser.post("/admin/webhooks", ["csrf": token, "url": "http://127.0.0.1:9000/hook"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("id=\"url-error\""))
            #expect(try await WebhookEndpointStore(database: server.database).list().isEmpty)
        }
    }
}
