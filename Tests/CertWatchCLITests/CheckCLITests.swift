import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Testing

// Fixed dates here are invalid on purpose (2026-02-30) and never compared with today.
@Suite struct CheckCLITests {
    /// Runs a line of shell, as a purchasing script would.
    func shell(_ line: String) async throws -> CLI.Result {
        try await CLI.run(["-c", line], binary: "/bin/sh", environment: ["CERTWATCH": CLI.binary])
    }

    @Test func exitStatusIsTheAnswerAndTheChainHolds() async throws {
        try await IntegrityDouble.with { double in
            let db = try await CLI.databaseArgument(.sqlite)
            let operations = try await double.operations()
            let certified = try #require(operations.first { $0["op_status"] as? String == "Certified" })["op_nopOpID"] as! String
            let suspended = try #require(operations.first { $0["op_status"] as? String == "Suspended" })["op_nopOpID"] as! String
            let csv = """
                name,nop_operation_id,status,crops,products
                Certified One,\(certified),certified,,
                Suspended One,\(suspended),certified,,
                Hand Entered GmbH,,certified,certified,crops:Lentils

                """
            #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
            let verified = try await CLI.run(["verify", "--all", "--database-url", db], environment: ["INTEGRITY_BASE_URL": double.baseURL])
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")

            let shown = try await CLI.run(["suppliers", "show", certified, "--json", "--database-url", db])
            let products = (try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])?["products"] as? [String] ?? []
            let crop = try #require(products.first { $0.hasPrefix("crops:") })
            let product = String(crop.dropFirst("crops:".count).prefix { $0 != "," && $0 != "(" }).trimmingCharacters(in: .whitespaces)

            let allowed = try await shell("if \"$CERTWATCH\" check \(certified) --product 'organic \(product)' --database-url \(db); then echo ORDER; else echo \"HOLD $?\"; fi")
            #expect(allowed.stdout.hasPrefix("ALLOW  Certified One — Certified, \(product)"), "\(allowed.stdout)\(allowed.stderr)")
            #expect(allowed.stdout.hasSuffix("ORDER\n"))

            let blocked = try await shell("\"$CERTWATCH\" check 'suspended one' --product '\(product)' --database-url \(db) || echo \"exit $?\"")
            #expect(blocked.stdout.hasPrefix("BLOCK  Suspended One — Certification Suspended since "), "\(blocked.stdout)")
            #expect(blocked.stdout.hasSuffix("exit 1\n"))

            let review = try await CLI.run(["check", "Hand Entered GmbH", "--product", "lentils", "--database-url", db])
            #expect(review.status == 2 && review.stdout.contains("not_linked_to_integrity:"), "\(review.stdout)")

            let json = try await CLI.run(["check", certified, "--product", "soybeans", "--json", "--database-url", db])
            let answer = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(json.status == 1 && answer?["decision"] as? String == "block" && answer?["askedBy"] as? String != nil)

            #expect(try await CLI.run(["check", certified, "--product", "x", "--date", "2026-02-30", "--database-url", db]).status == 64)
            let tooLong = try await CLI.run(["check", certified, "--product", String(repeating: "oats ", count: 41), "--database-url", db])
            #expect(tooLong.status == 64 && tooLong.stderr.contains("--product must name the product, in at most 200 characters"),
                    "the API's rule: \(tooLong.stderr)")
            let noAnswer = try await CLI.run(["check", certified, "--product", "x", "--database-url", "postgres://nobody@127.0.0.1:9/none"])
            #expect(noAnswer.status == 3 && noAnswer.stderr.contains("Error: cannot open database"))

            let intact = try await CLI.run(["audit", "verify", "--database-url", db])
            #expect(intact.status == 0 && intact.stdout.hasPrefix("intact: 4 purchase checks"), "\(intact.stdout)")

            let zip = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).zip").path
            let exported = try await CLI.run(["audit", "export", certified, "--out", zip, "--database-url", db])
            #expect(exported.status == 0 && exported.stdout.contains("1 verifications") && exported.stdout.contains("2 purchase checks"),
                    "\(exported.stdout)\(exported.stderr)")
            let listing = try await CLI.run(["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(' '.join(z.namelist())); print(z.read('purchase-checks.csv').decode())", zip],
                                      binary: "/usr/bin/python3")
            #expect(listing.stdout.hasPrefix("README.txt supplier.json certificate-items.csv verifications.json verifications.csv status-history.json status-history.csv purchase-checks.json purchase-checks.csv"),
                    "\(listing.stdout)\(listing.stderr)")
            #expect(listing.stdout.contains(",soybeans,"))

            let database = try Database.open(try DatabaseURL(parsing: db), logger: Logger(label: "test"))
            try await AuditTampering.dropGuards(database)
            try await database.withConnection {
                try await $0.update("purchase_checks").set("decision", to: "allow").where("seq", .equal, 2).run()
            }
            try await database.close()
            let broken = try await CLI.run(["audit", "verify", "--database-url", db])
            #expect(broken.status == 1 && broken.stdout.hasPrefix("BROKEN at record 2 (check "), "\(broken.stdout)")
        }
    }
}
