import CertWatchStore
import CertWatchTestSupport
import CertWatchWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Sessions as the issue asks: in the database (any replica serves any session), ended on the
/// server by sign-out, by revoking the key, and by the idle and absolute lifetimes.
@Suite struct WebSessionTests {
    @Test(arguments: Backend.allCases)
    func aSessionFromOneReplicaWorksOnAnother(_ backend: Backend) async throws {
        try await PageServer.run(backend) { server, browser in
            try await browser.signIn(server.admin)
            let cookie = try #require(browser.cookie)
            try await server.app().test(.router) { other in
                let replica = PageClient(other)
                replica.cookie = cookie
                let page = try await replica.get("/suppliers")
                #expect(page.status == .ok)
                #expect(page.html.contains("<h1>Suppliers</h1>"))
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func signOutEndsTheSessionOnTheServer(_ backend: Backend) async throws {
        try await PageServer.run(backend) { server, browser in
            let token = try await browser.signIn(server.purchaser)
            let cookie = try #require(browser.cookie)
            let signedOut = try await browser.post("/sign-out", ["csrf": token])
            #expect(signedOut.location == "/sign-in")
            #expect(browser.cookie == nil, "the cookie is expired in the browser")
            browser.cookie = cookie
            let reused = try await browser.get("/")
            #expect(reused.status == .seeOther && reused.location == "/sign-in", "the old cookie opens nothing")
        }
    }

    @Test(arguments: Backend.allCases)
    func revokingAKeyEndsItsSessionsAtTheNextRequest(_ backend: Backend) async throws {
        try await PageServer.run(backend) { server, browser in
            try await browser.signIn(server.purchaser)
            #expect(try await browser.get("/suppliers").status == .ok)
            #expect(try await APIKeyStore(database: server.database).revoke(name: "buyer"))
            let after = try await browser.get("/suppliers")
            #expect(after.status == .seeOther)
            #expect(after.location == "/sign-in?next=/suppliers")
            let again = try await browser.post("/sign-in", ["key": server.purchaser])
            #expect(again.status == .unauthorized && again.html.contains("unknown or revoked"))
        }
    }

    @Test(arguments: Backend.allCases)
    func idleAndAbsoluteLifetimesEndSessions(_ backend: Backend) async throws {
        let settings = WebSettings(sessionIdle: .seconds(30 * 60), sessionLifetime: .seconds(2 * 3_600))
        try await PageServer.run(backend, settings: settings) { server, browser in
            try await browser.signIn(server.purchaser)
            server.now.advance(seconds: 31 * 60)
            #expect(try await browser.get("/").location == "/sign-in", "idle for longer than web.sessionIdleMinutes")

            browser.cookie = nil
            try await browser.signIn(server.purchaser)
            for _ in 0..<4 {  // used every 25 minutes: never idle, 100 minutes in all
                server.now.advance(seconds: 25 * 60)
                #expect(try await browser.get("/").status == .ok)
            }
            server.now.advance(seconds: 25 * 60)
            #expect(try await browser.get("/").location == "/sign-in", "past web.sessionMaxHours however it was used")
        }
    }

    @Test(arguments: Backend.allCases)
    func aBearerKeyNeverOpensAPageAndASessionNeverOpensTheAPI(_ backend: Backend) async throws {
        try await PageServer.run(backend) { server, browser in
            let withBearer = try await browser.get("/suppliers", headers: [.authorization: "Bearer \(server.admin)"])
            #expect(withBearer.status == .seeOther, "a page needs a session")
            try await browser.signIn(server.admin)
            let api = try await browser.get("/v1/suppliers")
            #expect(api.status == .unauthorized, "/v1 needs a bearer key")
        }
    }
}
