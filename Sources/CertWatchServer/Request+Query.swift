import Hummingbird
import HummingbirdCore

extension Request {
    /// The query's parameters with an empty value read as absent, the same for every list:
    /// `?cursor=` is the first page, `?status=` any status, `?until=` no bound (what a form
    /// with an empty field sends).
    var queryValues: FlatDictionary<Substring, Substring> {
        FlatDictionary(uri.queryParameters.filter { !$0.value.isEmpty })
    }
}
