import Foundation

/// Where INTEGRITY answers: every URL is configuration, so a moved service needs no release.
///
/// Reads: `integrity.webServiceUrl` (the `…/rest` root the `Operations`, `Operations/Count`,
/// `OperationsCount` and `Items` routes hang under), `integrity.bulkUrl` (the whole download, any
/// path: USDA has served it at `…/OidPublicDataService.svc/rest/GetAllOperationsPublicData` and
/// at `…/OIDPublicAPI/GetAllOperationsPublicData`), and the older `integrity.baseUrl`, from which
/// both default as they always did.
public struct IntegrityEndpoints: Sendable, Equatable {
    public static let defaultWebServiceURL = "https://organicapi.ams.usda.gov/IntegrityPubDataServices/OidPublicDataService.svc/rest"
    /// The path public loaders used in 2026 (no `.svc`, no `/rest`); the older path still works
    /// through `integrity.baseUrl` or by setting `integrity.bulkUrl`.
    public static let defaultBulkURL = "https://organicapi.ams.usda.gov/IntegrityPubDataServices/OIDPublicAPI/GetAllOperationsPublicData"

    public var webServiceURL: String
    public var bulkURL: String

    public init(webServiceURL: String = defaultWebServiceURL, bulkURL: String = defaultBulkURL) {
        self.webServiceURL = webServiceURL
        self.bulkURL = bulkURL
    }

    /// The URLs an older `integrity.baseUrl` (`…/OidPublicDataService.svc`) stood for.
    public init(baseURL: String) {
        let web = Self.appending("/rest", to: baseURL)
        self.init(webServiceURL: web, bulkURL: Self.appending("/GetAllOperationsPublicData", to: web))
    }

    /// A web-service route (`Operations/Count`) under `webServiceURL`, before any query it has.
    public func webService(_ route: String) -> String { Self.appending("/" + route, to: webServiceURL) }

    /// `path` appended to the URL's path, keeping its query; a trailing slash is not doubled.
    static func appending(_ path: String, to url: String) -> String {
        guard var components = URLComponents(string: url) else { return url + path }
        let base = components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath
        components.percentEncodedPath = base + path
        return components.string ?? url + path
    }

    /// The URL with `api_key` added to whatever query it already has: what is sent, never shown.
    static func keyed(_ url: String, apiKey: String?) -> String {
        guard let apiKey, var components = URLComponents(string: url) else { return url }
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        let item = "api_key=" + (apiKey.addingPercentEncoding(withAllowedCharacters: allowed) ?? apiKey)
        components.percentEncodedQuery = [components.percentEncodedQuery, item].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "&")
        return components.string ?? url
    }
}
