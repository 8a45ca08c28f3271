import HTTPTypes
import Hummingbird

/// Answers 405 with `Allow` when the router knows the path but not for the request's method;
/// the router itself answers 404 for both. Runs only where the router found no route, so it is
/// given the finished route list.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: [(method: HTTPRequest.Method, path: RouterPath)]

    init(routes: [Router<Context>.RouteDescription]) {
        self.routes = routes.map { ($0.method, $0.path) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
            let allowed = Set(Self.resolved(routes, segments).map(\.method.rawValue)).sorted()
            guard !allowed.isEmpty else { throw error }
            var problem = Problem(.methodNotAllowed, "method-not-allowed", title: "Method not allowed",
                                  detail: "\(request.method) is not served at this path; it serves \(allowed.joined(separator: ", "))")
            problem.allow = allowed.joined(separator: ", ")
            throw problem
        }
    }

    /// The routes the router's trie resolves the path to: where a route has this segment as a
    /// literal, routes with a capture there do not serve it (`/suppliers/import` is not `/suppliers/{id}`).
    private static func resolved(_ routes: [(method: HTTPRequest.Method, path: RouterPath)], _ segments: [Substring])
        -> [(method: HTTPRequest.Method, path: RouterPath)] {
        var candidates = routes.filter { matches($0.path, segments) }
        for (index, segment) in segments.enumerated() {
            func literal(_ path: RouterPath) -> Bool { index < path.components.count && path.components[index] == segment }
            if candidates.contains(where: { literal($0.path) }) { candidates = candidates.filter { literal($0.path) } }
        }
        return candidates
    }

    private static func matches(_ path: RouterPath, _ segments: [Substring]) -> Bool {
        var index = 0
        for element in path.components {
            if element.description == "**" { return true }
            guard index < segments.count, element ~= segments[index] else { return false }
            index += 1
        }
        return index == segments.count
    }
}
