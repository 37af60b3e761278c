public import KeawatchModel
public import KeawatchRouting

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension Silence {
    /// A silence as the status API shows it.
    public func json(at now: Date) -> JSONValue {
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
