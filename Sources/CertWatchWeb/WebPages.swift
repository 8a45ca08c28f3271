import CertWatchCore
import CertWatchServer
import CertWatchStore
import Foundation
import Hummingbird
import HummingbirdAuth

/// The web page for purchasing staff and compliance managers: server-rendered HTML on the API's
/// port, signed in as a person (password, two-step code, single sign-on) or, while the setting
/// offers it, with an API key, into a database session. Page routes and `/v1` routes are
/// separate groups: a session never authenticates `/v1`, a bearer key never signs in a page.
public struct WebPages: Sendable {
    let deps: AppDependencies
    let settings: WebSettings
    let views: Views
    /// Writes one supplier's inspector export (a zip) for the download button.
    let exportSupplier: @Sendable (_ supplierId: String) async throws -> (fileName: String, zip: Data)?
    /// The clock of the dependencies: sessions, keys and the stores read the same time.
    var now: @Sendable () -> Date { deps.now }

    public init(deps: AppDependencies, settings: WebSettings,
                exportSupplier: @escaping @Sendable (String) async throws -> (fileName: String, zip: Data)?) async throws {
        self.deps = deps
        self.settings = settings
        self.views = try await Views()
        self.exportSupplier = exportSupplier
    }

    public func register(on router: Router<AppRequestContext>) {
        let stylesheet = views.stylesheet
        router.get("assets/{file}") { request, _ in stylesheet.response(for: request.uri.path) }
        let sessions = WebSessionStore(database: deps.database, now: now)
        let outside = router.group(context: WebRequestContext.self)
            .add(middleware: PageSecurity(alwaysSecureCookies: settings.alwaysSecureCookies))
            .add(middleware: PageErrorMiddleware(views: views))
        // Suppliers' upload links: no session is read or started for them.
        SupplierUploadPages(uploads: deps.supplierUploads, views: views, trustedProxies: settings.trustedProxies, now: now)
            .register(on: outside)
        let pages = router.group(context: WebRequestContext.self)
            .add(middleware: PageSecurity(alwaysSecureCookies: settings.alwaysSecureCookies))
            .add(middleware: PageErrorMiddleware(views: views))
            .add(middleware: SessionMiddleware(
                storage: DatabaseSessionDriver(store: sessions, now: now, fallbackLifetime: settings.sessionLifetime),
                configuration: SessionMiddlewareConfiguration(
                    sessionCookieParameters: SessionCookieParameters(name: "certwatch_session", path: "/", secure: settings.alwaysSecureCookies,
                                                                     sameSite: .strict),
                    keyPrefix: "", defaultSessionExpiration: settings.sessionLifetime)))
        let keys = deps.stores.apiKeys
        let keySignIn = KeySignInPolicy(mode: settings.keySignIn, accounts: deps.accounts.store)
        let signIn = SignInPages(deps: deps, sessions: sessions, keySignIn: keySignIn, views: views, settings: settings, now: now)
        signIn.register(on: pages)
        PasswordPages(accounts: deps.accounts, background: deps.background, trustedProxies: settings.trustedProxies, views: views,
                      start: { try await signIn.startSession(for: $0, next: $1, request: $2, context: $3) }).register(on: pages)
        let signedIn = pages.group().add(middleware: PageAuthenticator(keys: keys, accounts: deps.accounts, keySignIn: keySignIn,
                                                                       settings: settings, now: now))
        let admin = signedIn.group("admin").add(middleware: AdminOnly())
        let context = PageContext(deps: deps, settings: settings, views: views, now: now)
        DashboardPage(context: context, figures: DashboardFigures(database: deps.database)).register(on: signedIn)
        SupplierPages(context: context, exportSupplier: exportSupplier).register(on: signedIn, admin: admin)
        CheckPages(context: context).register(on: signedIn)
        DocumentPages(context: context).register(on: signedIn, admin: admin)
        ImportCertificatePages(context: context).register(on: signedIn)
        ImportCertificateFormPages(context: context).register(on: admin)
        FraudNoticePages(context: context).register(on: signedIn, admin: admin)
        SupplierFormPages(context: context).register(on: admin)
        ImportPage(context: context).register(on: admin)
        KeyPages(context: context, keys: keys).register(on: admin)
        AccountPages(context: context).register(on: signedIn)
        PeoplePages(context: context).register(on: admin)
        JobPages(context: context).register(on: admin)
        WebhookPages(context: context).register(on: admin)
        AlertPages(context: context).register(on: admin)
    }
}

/// What every page handler gets: the dependencies and their stores, the templates, the clock.
struct PageContext: Sendable {
    let deps: AppDependencies
    let settings: WebSettings
    let views: Views
    let now: @Sendable () -> Date

    var stores: Stores { deps.stores }

    /// Adds to the activity record what the signed-in person (or key) did.
    func record(_ page: WebRequestContext, _ action: String, subject: String?, detail: String = "") async throws {
        try await stores.activity.append(actor: try page.signedIn.actor, action: action, subject: subject, detail: detail)
    }

    /// Today in the page's time zone.
    var today: CalendarDate { CalendarDate(now(), in: settings.timeZone) }
}
