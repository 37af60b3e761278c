// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// Linux only, like the Kea servers it watches: it speaks systemd's notify protocol, reads /proc and
// uses prctl(2) (Sources/CCurl/shim.h), so it declares no Apple platforms.
let package = Package(
    name: "keawatch",
    products: [
        .executable(name: "keawatch", targets: ["keawatch"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            providers: [.apt(["libssl-dev"])]
        ),
        // The pure core: no dependencies, no I/O.
        .target(name: "KeawatchModel", swiftSettings: strict),
        .target(name: "KeawatchRules", dependencies: ["KeawatchModel"], swiftSettings: strict),
        .target(name: "KeawatchReview", dependencies: ["KeawatchModel"], swiftSettings: strict),
        .target(
            name: "KeawatchEngine",
            dependencies: ["KeawatchModel", "KeawatchRules", "KeawatchReview"],
            swiftSettings: strict
        ),
        // Routing, grouping, silences and self-alerts: pure, on top of the core.
        .target(name: "KeawatchRouting", dependencies: ["KeawatchModel", "KeawatchRules"], swiftSettings: strict),
        .target(
            name: "KeawatchCurl",
            dependencies: ["CCurl"],
            swiftSettings: strict
        ),
        .target(
            name: "KeawatchPolling",
            dependencies: ["KeawatchModel", "KeawatchCurl"],
            swiftSettings: strict
        ),
        .target(
            name: "KeawatchDaemon",
            dependencies: [
                "KeawatchModel", "KeawatchCurl", "KeawatchPolling", "KeawatchRules", "KeawatchEngine",
                "KeawatchRouting",
                "KeawatchNotify", "KeawatchStore", "KeawatchReview", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "keawatch",
            dependencies: [
                "KeawatchModel", "KeawatchCurl", "KeawatchPolling", "KeawatchDaemon", "KeawatchRules", "KeawatchEngine",
                "KeawatchRouting", "KeawatchNotify", "KeawatchReview",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "KeawatchNotify",
            dependencies: [
                "KeawatchModel", "KeawatchRules", "KeawatchRouting", "KeawatchCurl", "COpenSSL",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "KeawatchStore",
            dependencies: ["KeawatchModel", "KeawatchRouting", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "keawatch-engine-benchmark",
            dependencies: ["KeawatchEngine", "KeawatchRules", "KeawatchModel", "KeawatchRouting"],
            path: "Benchmarks/EngineBenchmark",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "keawatch-notify-benchmark",
            dependencies: ["KeawatchNotify", "KeawatchRouting", "KeawatchStore", "KeawatchCurl", "KeawatchModel"],
            path: "Benchmarks/NotifyBenchmark",
            swiftSettings: strict
        ),
        .target(
            name: "KeawatchTestSupport",
            path: "Tests/KeawatchTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "KeawatchModelTests", dependencies: ["KeawatchModel"], swiftSettings: strict),
        .testTarget(
            name: "KeawatchReviewTests",
            dependencies: ["KeawatchReview", "KeawatchModel"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KeawatchCurlTests",
            dependencies: ["KeawatchCurl", "KeawatchTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KeawatchPollingTests",
            dependencies: ["KeawatchPolling", "KeawatchModel", "KeawatchCurl", "KeawatchTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KeawatchRulesTests",
            dependencies: ["KeawatchRules", "KeawatchModel", "KeawatchTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KeawatchEngineTests",
            dependencies: ["KeawatchEngine", "KeawatchRules", "KeawatchModel", "KeawatchReview"],
            resources: [.copy("Traces")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KeawatchRoutingTests",
            dependencies: ["KeawatchRouting", "KeawatchRules", "KeawatchModel"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KeawatchNotifyTests",
            dependencies: [
                "KeawatchNotify", "KeawatchRouting", "KeawatchRules", "KeawatchCurl", "KeawatchModel",
                "KeawatchTestSupport",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KeawatchStoreTests",
            dependencies: [
                "KeawatchStore", "KeawatchRouting", "KeawatchNotify", "KeawatchModel", "KeawatchCurl",
                "KeawatchTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KeawatchDaemonTests",
            dependencies: [
                "KeawatchDaemon", "KeawatchModel", "KeawatchPolling", "KeawatchCurl", "KeawatchEngine",
                "KeawatchRouting", "KeawatchNotify", "KeawatchRules", "KeawatchStore", "KeawatchTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KeawatchIntegrationTests",
            dependencies: [
                "KeawatchPolling", "KeawatchModel", "KeawatchCurl", "KeawatchDaemon", "KeawatchTestSupport",
                "KeawatchRules", "KeawatchStore", "KeawatchReview",
            ],
            swiftSettings: strict
        ),
    ]
)
