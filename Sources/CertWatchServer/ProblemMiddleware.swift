import CertWatchStore
import Hummingbird
import Logging

/// Turns every error a route throws into `application/problem+json`: Hummingbird's own errors
/// (404, 413, 405) keep their status; store errors get theirs; anything else is a 500 whose
/// detail is logged, not sent.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch let error as StoreError {
            throw Self.problem(for: error)
        } catch is InvalidCursor {
            throw Problem.badRequest(InvalidCursor().description)
        } catch let error as HTTPError {
            throw Problem(error.status, "http-\(error.status.code)", title: error.status.reasonPhrase, detail: error.body)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            throw Problem(.internalServerError, "internal", title: "Internal server error",
                          detail: "the server could not answer; the error is in its log")
        }
    }

    static func problem(for error: StoreError) -> Problem {
        switch error {
        case .duplicateNOPOperationID:
            Problem(.conflict, "duplicate-nop-operation-id", title: "Duplicate NOP operation ID", detail: error.description)
        case .notFound:
            Problem(.notFound, "not-found", title: "Not found", detail: error.description)
        case .duplicateKeyName:
            Problem(.conflict, "duplicate-key-name", title: "Duplicate key name", detail: error.description)
        }
    }
}
