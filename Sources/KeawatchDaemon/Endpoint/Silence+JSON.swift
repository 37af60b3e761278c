package import KeawatchModel
package import KeawatchRouting

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

extension Silence {
    /// A silence as the status API shows it.
    package func json(at now: Date) -> JSONValue {
        .object(
            JSONObject([
                ("id", .string(id)),
                ("matchers", .array(matchers.map { .string($0.description) })),
                ("comment", .string(comment)), ("created_by", .string(createdBy)),
                ("starts_at", .string(Timestamp.format(startsAt))), ("ends_at", .string(Timestamp.format(endsAt))),
                ("active", .bool(isActive(at: now))),
            ])
        )
    }
}
