import HTTPTypes
import Hummingbird

/// The headers every page carries: no script at all, forms only to this site, no framing, no
/// sniffing, no referrer beyond this site, and no caching of pages that show registry data.
/// Also marks the session cookie `Secure` when the page is served over TLS.
struct PageSecurity: RouterMiddleware {
    typealias Context = WebRequestContext
    let alwaysSecureCookies: Bool

    static let contentSecurityPolicy = [
        "default-src 'none'", "style-src 'self'", "img-src 'self'", "form-action 'self'",
        "frame-ancestors 'none'", "base-uri 'none'",
    ].joined(separator: "; ")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.referrerPolicy] == nil { response.headers[.referrerPolicy] = "same-origin" }
        response.headers[.xFrameOptions] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if alwaysSecureCookies || request.headers[.xForwardedProto]?.lowercased() == "https" {
            let cookies = response.headers[values: .setCookie]
            response.headers[values: .setCookie] = []
            for cookie in cookies {
                response.headers[values: .setCookie].append(cookie.lowercased().contains("; secure") ? cookie : cookie + "; Secure")
            }
        }
        return response
    }
}

extension HTTPField.Name {
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
