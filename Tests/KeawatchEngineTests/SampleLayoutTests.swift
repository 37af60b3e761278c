import Testing

@testable import KeawatchEngine

/// The history's memory budget (an hour of samples for a thousand servers in about 40 MiB) rests
/// on a sample staying 56 bytes; Kea 3's fields live in what was padding.
@Suite struct SampleLayoutTests {
    @Test func aSampleStays56BytesAndARelationship32() {
        #expect(MemoryLayout<Sample>.stride == 56)
        #expect(MemoryLayout<RelationshipSample>.stride == 32)
    }
}
