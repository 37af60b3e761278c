import KeawatchModel
import KeawatchReview
import Testing

@Suite struct ConfigRedactionTests {
    private func redacted(_ text: String) -> String? {
        ConfigRedaction.redact(.object(["url": .string(text)]))["url"]?.stringValue
    }

    @Test func userInfoOfAURLGoesWholeEvenWhenThePasswordHoldsSlashesOrAts() {
        #expect(redacted("http://kea:s3cret@192.0.2.1:8000/") == "http://<redacted>@192.0.2.1:8000/")
        #expect(redacted("http://kea:pa/ss@192.0.2.1:8000/") == "http://<redacted>@192.0.2.1:8000/")
        #expect(redacted("http://kea:p@ss@192.0.2.1:8000/") == "http://<redacted>@192.0.2.1:8000/")
    }

    @Test func textThatIsNoPlainURLButHoldsCredentialsGoesWhole() {
        #expect(redacted("see http://kea:s3cret@host/") == ConfigRedaction.placeholder)
    }

    @Test func urlsWithoutCredentialsStay() {
        #expect(redacted("http://192.0.2.1:8000/") == "http://192.0.2.1:8000/")
    }
}
