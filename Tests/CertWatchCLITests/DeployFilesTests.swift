import CertWatchTestSupport
import Foundation
import Testing

/// deploy/ checked statically (no container engine or cluster runs here): the systemd unit
/// passes `systemd-analyze verify`, the compose file and Kubernetes manifests parse and say what
/// they must, and the Containerfile uses the README's build command (read, not built).
@Suite struct DeployFilesTests {
    static let deploy = LoopbackProcess.repository.appendingPathComponent("deploy")

    func python(_ script: String) async throws -> CLI.Result {
        try await CLI.run(["-c", script], binary: "/usr/bin/python3")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
    func theSystemdUnitVerifies() async throws {
        let unit = try String(contentsOf: Self.deploy.appendingPathComponent("certwatch.service"), encoding: .utf8)
        #expect(unit.contains("DynamicUser=yes") && unit.contains("ProtectSystem=strict") && unit.contains("StateDirectory=certwatch"))
        // The unit names the installed path; verify it against the binary under test.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("certwatch.service")
        try unit.replacingOccurrences(of: "/usr/local/bin/certwatch", with: CLI.binary).write(to: copy, atomically: true, encoding: .utf8)
        let verified = try await CLI.run(["verify", copy.path], binary: "/usr/bin/systemd-analyze")
        #expect(verified.status == 0 && !verified.stderr.contains("certwatch.service:"), "\(verified.stderr)")
    }

    @Test func theComposeFileRunsTwoReplicasOnPostgreSQLWithAMailCatcher() async throws {
        let result = try await python("""
            import yaml
            c = yaml.safe_load(open("\(Self.deploy.path)/compose.yaml"))
            s = c["services"]
            replicas = [n for n, v in s.items() if "postgres://" in str(v.get("environment", {}).get("DATABASE_URL", ""))]
            assert len(replicas) == 2, replicas
            assert all(s[n]["build"]["dockerfile"] == "deploy/Containerfile" for n in replicas)
            assert "postgres" in s and "mailpit" in s
            assert all(s[n]["environment"]["SMTP_URL"] == "smtp://mailpit:1025" for n in replicas)
            print("ok")
            """)
        #expect(result.stdout == "ok\n", "\(result.stderr)")
    }

    @Test func theKubernetesManifestsHaveTwoReplicasProbesAndTheShippedConfig() async throws {
        let result = try await python("""
            import yaml
            docs = {d["kind"]: d for d in yaml.safe_load_all(open("\(Self.deploy.path)/kubernetes/certwatch.yaml"))}
            assert set(docs) == {"Deployment", "Service", "ConfigMap", "Secret"}, set(docs)
            spec = docs["Deployment"]["spec"]
            assert spec["replicas"] == 2
            container = spec["template"]["spec"]["containers"][0]
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
            assert docs["ConfigMap"]["data"]["certwatch.yaml"] == open("\(LoopbackProcess.repository.path)/Config/certwatch.postgres.yaml").read()
            assert set(docs["Secret"]["stringData"]) == {"DATABASE_URL", "INTEGRITY_API_KEY", "SMTP_PASSWORD"}
            print("ok")
            """)
        #expect(result.stdout == "ok\n", "\(result.stderr)")
    }

    /// Text only: no container engine runs here, so the image is not built by this test.
    @Test func theContainerfileBuildsTheREADMEsReleaseCommandInTwoStages() async throws {
        let containerfile = try String(contentsOf: Self.deploy.appendingPathComponent("Containerfile"), encoding: .utf8)
        let readme = try String(contentsOf: LoopbackProcess.repository.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(containerfile.contains("FROM swift:") && containerfile.contains("FROM debian:bookworm-slim"), "multi-stage")
        #expect(containerfile.contains("libcurl4 "), "the runtime has libcurl for SMTP")
        let build = "swift build -c release --product certwatch --static-swift-stdlib"
        #expect(containerfile.contains(build) && readme.contains(build))
        #expect(readme.contains("docker build -f deploy/Containerfile -t certwatch ."))
    }
}
