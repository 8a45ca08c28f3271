import CertWatchTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// A client that opens a connection and never finishes its headers is cut off after
/// `http.idleTimeoutSeconds` (issue 21, finding 10): before, it held the connection for ever.
@Suite struct IdleConnectionTests {
    @Test func aConnectionStuckInItsHeadersIsClosed() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        try await ServeProcess.with(db, environment: ["HTTP_IDLE_TIMEOUT_SECONDS": "1"]) { server in
            _ = try await eventually("the server to answer on port \(server.port)") {
                try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(server.port)/healthz")!).0
            }
            // Half a request, then wait for the server to close the connection; the socket's own
            // 15 s timeout (half the default idle timeout) fails the test if it never does.
            let script = """
                import socket, sys, time
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                s.sendall(b"GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n")
                s.settimeout(15)
                began = time.monotonic()
                try:
                    data = s.recv(4096)
                    print("closed" if data == b"" else "answered", round(time.monotonic() - began))
                except socket.timeout:
                    print("held")
                """
            let probe = try await CLI.run(["-c", script, "\(server.port)"], binary: "/usr/bin/python3")
            #expect(probe.stdout.hasPrefix("closed"), "\(probe.stdout)\(probe.stderr)")
        }
    }
}
