// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "CertWatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "certwatch", targets: ["certwatch"]),
        .executable(name: "certwatch-bench", targets: ["CertWatchBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // Inflates zip entries (ZipEntryInflater): ZIPFoundation's own inflate can spin for ever.
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        // Verifies OpenID Connect ID tokens against the provider's published keys (needs swift-crypto 4).
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        // Used directly (NIO buffers and event loops, the SQLite driver, the pool's event loop
        // futures), so declared, not only reached through the packages above.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/async-kit", from: "1.22.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .target(
            name: "CertWatchCore",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CertWatchStore",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"), .product(name: "SQLiteNIO", package: "sqlite-nio"), .product(name: "AsyncKit", package: "async-kit"),
                "CertWatchCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The purchase gate: the question, the supplier snapshots it is answered from, the batch,
        // and the transaction that appends the answer to the audit log.
        .target(
            name: "CertWatchGate",
            dependencies: [
                "CertWatchCore",
                "CertWatchStore",
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // People's accounts: passwords (bcrypt), two-step codes (TOTP), one-time links, sign-in
        // limits, single sign-on (OpenID Connect), and the emails that carry the links.
        .target(
            name: "CertWatchAccounts",
            dependencies: [
                "CertWatchCore", "CertWatchStore", "CertWatchNotify",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Resources/common-passwords.LICENSE"],
            resources: [.copy("Resources/common-passwords.txt")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CertWatchIntegrity",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                "CertWatchCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Every parser of outside data as a function of bytes, for libFuzzer (scripts/fuzz.sh) and
        // for the tests that replay the corpora and every crash found (Fuzz/).
        .target(
            name: "CertWatchFuzzTargets",
            dependencies: ["CertWatchCore", "CertWatchIntegrity", "CertWatchStore", "CertWatchServer", "CertWatchWeb"],
            swiftSettings: swiftSettings
        ),
        .target(name: "CFuzzDriver"),
        .executableTarget(
            name: "certwatch-fuzz",
            dependencies: ["CertWatchFuzzTargets", "CFuzzDriver"],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "CertWatchNotify",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                "CertWatchCore",
                "CCurl",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CertWatchJobs",
            dependencies: [
                "CertWatchCore",
                "CertWatchStore",
                "CertWatchIntegrity",
                "CertWatchNotify",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CertWatchDocuments",
            dependencies: [
                "CertWatchCore",
                "CertWatchStore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CertWatchRequests",
            dependencies: [
                "CertWatchCore",
                "CertWatchStore",
                "CertWatchDocuments",
                "CertWatchNotify",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CertWatchServer",
            dependencies: [
                "CertWatchCore",
                "CertWatchDocuments",
                "CertWatchStore", "CertWatchGate",
                "CertWatchIntegrity",
                "CertWatchJobs", "CertWatchAccounts", "CertWatchRequests",
                "CertWatchNotify",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.yaml")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CertWatchWeb",
            dependencies: [
                "CertWatchCore",
                "CertWatchDocuments",
                // Reads NOP's fraud list as it is uploaded (xlsx or CSV) on the import page.
                "CertWatchIntegrity",
                "CertWatchStore", "CertWatchGate",
                "CertWatchJobs", "CertWatchAccounts", "CertWatchRequests",
                "CertWatchServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Resources/templates"), .copy("Resources/static")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CertWatchApp",
            dependencies: [
                "CertWatchCore",
                "CertWatchStore", "CertWatchGate",
                "CertWatchIntegrity",
                "CertWatchNotify",
                "CertWatchJobs", "CertWatchAccounts", "CertWatchRequests",
                "CertWatchServer",
                "CertWatchWeb",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "certwatch",
            dependencies: [
                "CertWatchApp",
                "CertWatchDocuments",
                "CertWatchCore",
                "CertWatchStore", "CertWatchGate",
                "CertWatchServer",
                "CertWatchIntegrity",
                "CertWatchJobs", "CertWatchAccounts", "CertWatchRequests",
                "CertWatchNotify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "CertWatchBench",
            dependencies: ["CertWatchCore", "CertWatchNotify"],
            path: "bench/CertWatchBench",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CertWatchTestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                "CertWatchCore",
                "CertWatchStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CertWatchCoreTests",
            dependencies: ["CertWatchCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CertWatchStoreTests",
            dependencies: [
                "CertWatchStore", "CertWatchGate", "CertWatchCore", "CertWatchTestSupport", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"), .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Schema"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CertWatchAccountsTests",
            dependencies: [
                "CertWatchAccounts", "CertWatchStore", "CertWatchCore", "CertWatchNotify", "CertWatchTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CertWatchServerTests",
            dependencies: [
                "CertWatchServer", "CertWatchDocuments", "CertWatchApp", "CertWatchStore", "CertWatchGate", "CertWatchCore", "CertWatchTestSupport", "CertWatchIntegrity", "CertWatchJobs", "CertWatchAccounts", "CertWatchRequests",
                "CertWatchNotify", .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CertWatchWebTests",
            dependencies: [
                "CertWatchWeb", "CertWatchApp", "CertWatchServer", "CertWatchJobs", "CertWatchAccounts", "CertWatchRequests", "CertWatchStore", "CertWatchGate", "CertWatchCore", "CertWatchTestSupport",
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CertWatchIntegrityTests",
            dependencies: [
                "CertWatchIntegrity", "CertWatchJobs", "CertWatchFuzzTargets", "CertWatchStore", "CertWatchGate", "CertWatchCore", "CertWatchTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CertWatchJobsTests",
            dependencies: ["CertWatchJobs", "CertWatchStore", "CertWatchGate", "CertWatchCore", "CertWatchNotify", "CertWatchTestSupport", "CertWatchIntegrity",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "CertWatchNotifyTests",
            dependencies: ["CertWatchNotify", "CertWatchCore", "CertWatchTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CertWatchCLITests",
            dependencies: [
                "CertWatchTestSupport", "CertWatchStore", "CertWatchCore", .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
